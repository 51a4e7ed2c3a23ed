import { Clinic } from '../modules/tenancy/clinic.entity';
import { ClinicMember } from '../modules/tenancy/clinic-member.entity';
import { Tenant } from '../modules/tenancy/tenant.entity';
import { TenantMember } from '../modules/tenancy/tenant-member.entity';
import { RefUserRole } from '../modules/users/ref-user-role.entity';
import { User } from '../modules/users/user.entity';
import { UserProfile } from '../modules/users/user-profile.entity';

/** Every TypeORM entity, listed explicitly (no globs: same behaviour in ts, dist and Jest). */
export const ENTITIES = [
  RefUserRole,
  User,
  UserProfile,
  Tenant,
  Clinic,
  TenantMember,
  ClinicMember,
];
