/**
 * People: the employees of the caller's stores, hiring (HR: hr.write — personal data, contract, till role
 * and PIN: the same record goes to the tills), the store chain's verification and the inspectorate's CSV.
 */
import { Alert, Badge, Button, Group, NumberInput, PasswordInput, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { PageHeader, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

export interface Employee {
  id: string; companyId: string; storeId: string | null; code: string; name: string; jobTitle: string | null; tillRole: string | null;
  staffId: string | null; userId: string | null; hiredOn: string; leftOn: string | null;
}

const today = () => new Date().toISOString().slice(0, 10);

export default function PeoplePage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canHire = useCan('hr.write');
  const org = useStoreOptions();
  const list = useQuery({ queryKey: ['people'], queryFn: () => get<{ items: Employee[] }>('/api/people/employees?includeLeft=true') });
  const [storeId, setStoreId] = useState<string | null>(null);
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [tillRole, setTillRole] = useState<string | null>('cashier');
  const [pin, setPin] = useState('');
  const [hiredOn, setHiredOn] = useState(today());
  const [type, setType] = useState<string | null>('indefinido');
  const [hours, setHours] = useState<number | string>(40);
  const [nif, setNif] = useState('');
  const [email, setEmail] = useState('');
  const [selfPassword, setSelfPassword] = useState('');
  const [verifyStore, setVerifyStore] = useState<string | null>(null);
  const company = (storeId ? org.data?.companies.find((c) => c.stores.some((s) => s.id === storeId))?.id : companyId) ?? null;
  const hire = useMutation({
    mutationFn: () => api<Employee>('POST', '/api/people/employees', {
      companyId: company, storeId, code, name, tillRole, ...(tillRole ? { pin } : {}), hiredOn,
      contract: { type, weeklyHours: Number(hours), startsOn: hiredOn },
      personal: { nif: nif || null, email: email || null },
      ...(selfPassword ? { selfServicePassword: selfPassword } : {}),
    }),
    onSuccess: (e) => {
      void qc.invalidateQueries({ queryKey: ['people'] });
      navigate(`/people/${e.id}`);
    },
  });
  const verify = useMutation({ mutationFn: () => get<{ ok: boolean; records: number; broken: { seq: number; reason: string } | null }>(`/api/people/time-chains/verify?chain=${verifyStore}`) });
  const storeLabel = (id: string | null) => (id ? (org.options.find((o) => o.value === id)?.label ?? id) : '—');
  return (
    <>
      <PageHeader title={t('p.title')} subtitle={t('p.help')} actions={<Button variant="light" onClick={() => navigate('/people/rotas')} data-testid="open-rotas">{t('r.open')}</Button>} />
      {canHire && (
        <Section title={t('p.hire')} testId="hire">
          <Group align="end" wrap="wrap">
            <Select label={t('p.store')} w={240} data={org.options} value={storeId} onChange={setStoreId} searchable clearable data-testid="hire-store" />
            {!storeId && <Select label={t('p.company')} w={240} data={(org.data?.companies ?? []).map((c) => ({ value: c.id, label: c.legalName }))} value={companyId} onChange={setCompanyId} data-testid="hire-company" />}
            <TextInput label={t('p.code')} w={110} value={code} onChange={(e) => setCode(e.currentTarget.value)} data-testid="hire-code" />
            <TextInput label={t('p.name')} w={220} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="hire-name" />
            <Select label={t('p.tillRole')} w={150} data={[{ value: 'cashier', label: 'cashier' }, { value: 'supervisor', label: 'supervisor' }, { value: 'manager', label: 'manager' }]} value={tillRole} onChange={setTillRole} clearable placeholder={t('p.noTill')} data-testid="hire-role" />
            {tillRole && <PasswordInput label={t('p.pin')} w={130} value={pin} onChange={(e) => setPin(e.currentTarget.value)} data-testid="hire-pin" />}
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <TextInput label={t('p.hiredOn')} type="date" value={hiredOn} onChange={(e) => setHiredOn(e.currentTarget.value)} data-testid="hire-date" />
            <Select label={t('p.contractType')} w={170} data={['indefinido', 'temporal', 'fijo_discontinuo', 'practicas', 'formacion']} value={type} onChange={setType} />
            <NumberInput label={t('p.weeklyHours')} w={130} min={1} max={40} step={0.5} value={hours} onChange={setHours} data-testid="hire-hours" />
            <TextInput label={t('p.nif')} w={200} value={nif} onChange={(e) => setNif(e.currentTarget.value)} />
            <TextInput label={t('p.email')} w={200} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput label={t('p.selfPassword')} w={220} value={selfPassword} onChange={(e) => setSelfPassword(e.currentTarget.value)} data-testid="hire-self-password" />
            <Button disabled={!company || !code || !name} loading={hire.isPending} onClick={() => hire.mutate()} data-testid="hire-save">{t('p.save')}</Button>
          </Group>
          {hire.error && <Alert color="red" mt="sm" data-testid="hire-error">{hire.error.message}</Alert>}
        </Section>
      )}
      <Section
        actions={
          <Group>
            <Select w={220} data={org.options} value={verifyStore} onChange={setVerifyStore} placeholder={t('p.store')} />
            <Button variant="light" disabled={!verifyStore} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="chain-verify">{t('p.verify')}</Button>
            <Button variant="default" onClick={() => void download(`/api/people/time-records/export.csv?month=${today().slice(0, 7)}`, 'registro-jornada.csv')}>{t('p.export')}</Button>
          </Group>
        }
      >
        {verify.data && (
          <Alert color={verify.data.ok ? 'green' : 'red'} mb="sm" data-testid="chain-result">
            {verify.data.ok ? t('p.chainOk', { n: verify.data.records }) : t('p.chainBroken', { seq: verify.data.broken?.seq ?? 0, reason: verify.data.broken?.reason ?? '' })}
          </Alert>
        )}
        {list.error && <Alert color="red">{list.error.message}</Alert>}
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('p.none')}</Text> : (
          <Table striped highlightOnHover data-testid="people-table">
            <Table.Thead><Table.Tr><Table.Th>{t('p.code')}</Table.Th><Table.Th>{t('p.name')}</Table.Th><Table.Th>{t('p.store')}</Table.Th><Table.Th>{t('p.tillRole')}</Table.Th><Table.Th>{t('p.hiredOn')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((e) => (
                <Table.Tr key={e.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/people/${e.id}`)} data-testid="people-row">
                  <Table.Td ff="monospace">{e.code}</Table.Td>
                  <Table.Td>{e.name}</Table.Td>
                  <Table.Td>{storeLabel(e.storeId)}</Table.Td>
                  <Table.Td>{e.tillRole ?? t('p.noTill')}</Table.Td>
                  <Table.Td>{e.hiredOn}</Table.Td>
                  <Table.Td>{e.leftOn ? <Badge color="gray">{t('p.left')} {e.leftOn}</Badge> : <Badge color="green" variant="light">{t('p.active')}</Badge>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
