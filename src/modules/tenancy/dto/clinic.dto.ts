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
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ClinicPageDto extends PageDto {
  @ApiProperty({ type: [ClinicDto] })
  items!: ClinicDto[];
}
