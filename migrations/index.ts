import { CreateRefUserRoles1795400000000 } from './1795400000000-CreateRefUserRoles';
import { CreateCoreSchema1795400001000 } from './1795400001000-CreateCoreSchema';
import { ExpandUserRoles1795400002000 } from './1795400002000-ExpandUserRoles';
import { CreateAuthTables1795400003000 } from './1795400003000-CreateAuthTables';
import { CreateClinicalSchema1795400004000 } from './1795400004000-CreateClinicalSchema';
import { CreateAppRole1795400005000 } from './1795400005000-CreateAppRole';
import { SeedInteractionReferenceData1795400006000 } from './1795400006000-SeedInteractionReferenceData';
import { CreateRowLevelSecurity1795400007000 } from './1795400007000-CreateRowLevelSecurity';
import { PromoteTierAdminsToPlatformAdmin1795400008000 } from './1795400008000-PromoteTierAdminsToPlatformAdmin';
import { TenancyLifecycle1795400009500 } from './1795400009500-TenancyLifecycle';
import { RlsPolicyInitPlans1795400011000 } from './1795400011000-RlsPolicyInitPlans';

/** Every migration, in order. An explicit list works the same from TS sources, dist and Jest. */
export const MIGRATIONS = [
  CreateRefUserRoles1795400000000,
  CreateCoreSchema1795400001000,
  ExpandUserRoles1795400002000,
  CreateAuthTables1795400003000,
  CreateClinicalSchema1795400004000,
  CreateAppRole1795400005000,
  SeedInteractionReferenceData1795400006000,
  CreateRowLevelSecurity1795400007000,
  PromoteTierAdminsToPlatformAdmin1795400008000,
  TenancyLifecycle1795400009500,
  RlsPolicyInitPlans1795400011000,
];
