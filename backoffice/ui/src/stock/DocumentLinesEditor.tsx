/** Typed lines of a transfer or adjustment: a barcode/SKU field resolving the product, and a quantity. */
import { ActionIcon, Button, Group, NumberInput, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../app/i18n';
import { useToast } from '../components/feedback';
import { productByCode } from './operations-common';
import { opsMessages } from './operations-messages';

export interface EditorLine {
  productId: string;
  label: string;
  quantity: number;
}

export function DocumentLinesEditor({ lines, onChange, quantityLabel, allowNegative = false }: { lines: EditorLine[]; onChange: (l: EditorLine[]) => void; quantityLabel: string; allowNegative?: boolean }) {
  const { t } = useT(opsMessages);
  const toast = useToast();
  const [code, setCode] = useState('');
  const [qty, setQty] = useState<number>(1);
  const add = async () => {
    const p = await productByCode(code.trim()).catch(() => null);
    if (!p) return toast.fail(new Error(t('ops.unknownCode', { code })));
    const rest = lines.filter((l) => l.productId !== p.id);
    onChange([...rest, { productId: p.id, label: `${p.sku} · ${p.name}`, quantity: qty }]);
    setCode('');
    setQty(1);
  };
  return (
    <>
      <Group align="flex-end">
        <TextInput label={t('ops.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} data-testid="line-code"
          onKeyDown={(e) => { if (e.key === 'Enter' && code.trim()) { e.preventDefault(); void add(); } }} />
        <NumberInput label={quantityLabel} value={qty} onChange={(v) => setQty(Number(v) || 0)} allowDecimal={false} {...(allowNegative ? {} : { min: 1 })} data-testid="line-quantity" w={160} />
        <Button variant="default" onClick={() => void add()} disabled={!code.trim() || qty === 0} data-testid="line-add">{t('ops.addLine')}</Button>
      </Group>
      {lines.length > 0 && (
        <Table mt="sm" data-testid="lines">
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.productId}>
                <Table.Td>{l.label}</Table.Td>
                <Table.Td ta="right">{l.quantity}</Table.Td>
                <Table.Td w={40}><ActionIcon variant="subtle" color="red" onClick={() => onChange(lines.filter((x) => x !== l))}>×</ActionIcon></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
