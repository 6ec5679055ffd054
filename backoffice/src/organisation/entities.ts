/** Tables of the organisation module (migration 1795403000001); company/store/terminal live in persistence/entities.ts. */
import { EntitySchema } from 'typeorm';
import { c, columns } from '../persistence/columns';

/** The structured address columns shared by company, store and warehouse. */
export const ADDRESS_COLUMNS = {
  street: { type: 'varchar', length: 200, nullable: true, name: 'street' },
  postalCode: { type: 'varchar', length: 10, nullable: true, name: 'postal_code' },
  city: { type: 'varchar', length: 100, nullable: true, name: 'city' },
  province: { type: 'varchar', length: 100, nullable: true, name: 'province' },
  country: { type: 'varchar', length: 2, nullable: true, name: 'country' },
} as const;

export interface CompanyContactRow {
  id: string;
  companyId: string;
  position: number;
  name: string;
  role: string;
  email: string;
  phone: string;
}
export const CompanyContactEntity = new EntitySchema<CompanyContactRow>({
  name: 'CompanyContact',
  tableName: 'company_contact',
  columns: columns({
    id: c.uuid({ primary: true }),
    companyId: c.uuid(),
    position: c.int(),
    name: c.str(120),
    role: c.str(80),
    email: c.str(254),
    phone: c.str(32),
  }),
});

export interface WarehouseRow {
  id: string;
  code: string;
  companyId: string;
  name: string;
  address: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  archivedAt: string | null;
}
export const WarehouseEntity = new EntitySchema<WarehouseRow>({
  name: 'Warehouse',
  tableName: 'warehouse',
  columns: {
    ...columns({
      id: c.uuid({ primary: true }),
      code: c.str(16),
      companyId: c.uuid(),
      name: c.str(200),
      address: c.text({ nullable: true }),
      archivedAt: c.instant({ nullable: true }),
    }),
    ...ADDRESS_COLUMNS,
  },
});

export type PaymentMethod = 'transfer' | 'direct_debit';
export interface FranchiseContractRow {
  id: string;
  companyId: string;
  /** yyyy-mm-dd, inclusive. */
  startsOn: string;
  /** yyyy-mm-dd inclusive; null: open-ended. */
  endsOn: string | null;
  royaltyBp: number;
  marketingFeeBp: number;
  paymentDays: number;
  paymentMethod: PaymentMethod;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}
export const FranchiseContractEntity = new EntitySchema<FranchiseContractRow>({
  name: 'FranchiseContract',
  tableName: 'franchise_contract',
  columns: columns({
    id: c.uuid({ primary: true }),
    companyId: c.uuid(),
    startsOn: c.date(),
    endsOn: c.date({ nullable: true }),
    royaltyBp: c.int(),
    marketingFeeBp: c.int(),
    paymentDays: c.int(),
    paymentMethod: c.str(16),
    notes: c.str(500, { nullable: true }),
    createdAt: c.instant(),
    updatedAt: c.instant(),
  }),
});

export const organisationEntities = [CompanyContactEntity, WarehouseEntity, FranchiseContractEntity];
