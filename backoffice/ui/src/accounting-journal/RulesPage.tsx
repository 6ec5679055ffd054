/**
 * The posting rules of one company: every role's account (per IVA rate where it depends on one), the PGC's
 * default or the company's own. An admin changes one (the server's refusal shown when the account cannot
 * carry the role) or sets it back to the default.
 */
import { Alert, Badge, Button, Group, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { errorText, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { CompanyPicker, useCompany } from './shared';

interface Rule {
  role: string;
  rateBp: number | null;
  account: string;
  isDefault: boolean;
  es: string;
  en: string;
}

export default function RulesPage() {
  const { t, locale } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const company = useCompany();
  const canAdmin = useCan('accounting.admin');
  const base = `/api/accounting/companies/${company.companyId}/rules`;
  const rules = useQuery({ queryKey: ['accounting', 'rules', company.companyId], queryFn: () => get<{ rules: Rule[] }>(base), enabled: !!company.companyId });
  const [editing, setEditing] = useState<{ key: string; account: string } | null>(null);
  const save = useMutation({
    mutationFn: (p: { role: string; rateBp: number | null; account: string | null }) => api('PUT', base, p),
    onSuccess: () => (setEditing(null), toast.ok(t('ru.saved')), void qc.invalidateQueries({ queryKey: ['accounting', 'rules'] })),
  });
  const keyOf = (r: Rule) => `${r.role}:${r.rateBp ?? ''}`;
  return (
    <>
      <PageHeader title={t('ru.title')} subtitle={t('ru.help')} />
      <Stack>
        <Section><CompanyPicker company={company} /></Section>
        {rules.error && <Alert color="red">{errorText(rules.error, locale)}</Alert>}
        {save.error && <Alert color="red" data-testid="rule-error">{errorText(save.error, locale)}</Alert>}
        {rules.data && (
          <Section>
            <Table striped data-testid="rules-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ru.role')}</Table.Th>
                  <Table.Th>{t('ru.rate')}</Table.Th>
                  <Table.Th>{t('c.account')}</Table.Th>
                  <Table.Th />
                  {canAdmin && <Table.Th>{t('c.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rules.data.rules.map((r) => (
                  <Table.Tr key={keyOf(r)} data-testid="rule-row" data-rule={keyOf(r)}>
                    <Table.Td>{locale === 'en' ? r.en : r.es}</Table.Td>
                    <Table.Td>{r.rateBp === null ? '' : f.percentBp(r.rateBp)}</Table.Td>
                    <Table.Td>
                      {editing?.key === keyOf(r) ? (
                        <TextInput size="xs" value={editing.account} onChange={(e) => setEditing({ key: keyOf(r), account: e.currentTarget.value })} maxLength={12} w={140} data-testid="rule-input" />
                      ) : (
                        <span data-testid="rule-account">{r.account}</span>
                      )}
                    </Table.Td>
                    <Table.Td><Badge variant="light" color={r.isDefault ? 'gray' : 'blue'}>{r.isDefault ? t('ru.default') : t('ru.override')}</Badge></Table.Td>
                    {canAdmin && (
                      <Table.Td>
                        {editing?.key === keyOf(r) ? (
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" onClick={() => save.mutate({ role: r.role, rateBp: r.rateBp, account: editing.account.trim() })} loading={save.isPending} data-testid="rule-save">{t('c.save')}</Button>
                            <Button size="compact-xs" variant="subtle" onClick={() => (setEditing(null), save.reset())}>{t('c.cancel')}</Button>
                          </Group>
                        ) : (
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" variant="subtle" onClick={() => (save.reset(), setEditing({ key: keyOf(r), account: r.account }))} data-testid="rule-edit">{t('ru.edit')}</Button>
                            {!r.isDefault && <Button size="compact-xs" variant="subtle" color="gray" onClick={() => save.mutate({ role: r.role, rateBp: r.rateBp, account: null })} data-testid="rule-reset">{t('ru.reset')}</Button>}
                          </Group>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        )}
      </Stack>
    </>
  );
}
