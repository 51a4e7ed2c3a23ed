import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PageDto } from '../../../common/pagination/pagination';

export class ClinicNameDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'North Clinic' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class ClinicDto {
  @ApiProperty({ format: 'uuid', example: 'c41f8e2d-6a9b-4d3c-a7e1-5b0f2d8c6e97' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0b7e4c2a-9f3d-4a61-b8e5-3d2c1f0a9b84' })
  tenantId!: string;

  @ApiProperty({ example: 'North Clinic' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T09:30:00.000Z' })
  updatedAt!: string;
}

export class ClinicPageDto extends PageDto {
  @ApiProperty({ type: [ClinicDto] })
  items!: ClinicDto[];
}
