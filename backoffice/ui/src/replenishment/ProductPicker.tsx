/** A product chosen by typing its SKU or name (the server searches: the catalog may hold 200,000 products). */
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, withQuery } from '../app/api';

interface ProductOption { id: string; sku: string; name: string }

export function ProductPicker({ value, onChange, label, testId }: { value: string | null; onChange: (id: string | null) => void; label?: string; testId?: string }) {
  const [search, setSearch] = useState('');
  const [known, setKnown] = useState<Record<string, string>>({});
  const q = useQuery({
    queryKey: ['replenishment', 'products', search],
    queryFn: () => get<{ items: ProductOption[] }>(withQuery('/api/products', { q: search || undefined, pageSize: 30, sort: 'sku', active: 'true' })),
    staleTime: 30_000,
  });
  const options = (q.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${p.name}` }));
  if (value && !options.some((o) => o.value === value) && known[value]) options.unshift({ value, label: known[value]! });
  return (
    <Select
      label={label}
      data-testid={testId}
      searchable
      clearable
      data={options}
      value={value}
      filter={({ options: o }) => o}
      onSearchChange={setSearch}
      onChange={(id) => {
        const opt = options.find((o) => o.value === id);
        if (id && opt) setKnown((k) => ({ ...k, [id]: opt.label }));
        onChange(id);
      }}
    />
  );
}
