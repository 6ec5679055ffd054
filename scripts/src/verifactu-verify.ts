/**
 * Veri*Factu chain verifier: `npm run verifactu:verify -- <export.xml> [<export-2.xml> …]` recomputes every
 * chain of a RegFactuSistemaFacturacion export (the parts of one export, in order) and prints per chain OK or
 * its first break. Exit code 0 when every chain verifies, 1 on a break, 2 on unreadable input.
 */
import { readFileSync } from 'node:fs';
import { reportLine, verifyExport } from '@tpv/backoffice/verifactu/verify';

function main(argv: string[]): number {
  const files = argv.filter((a) => a !== '--');
  if (files.length === 0) {
    process.stderr.write('usage: npm run verifactu:verify -- <export.xml> [more parts…]\n');
    return 2;
  }
  let chains;
  try {
    chains = verifyExport(files.map((f) => readFileSync(f, 'utf8')));
  } catch (e) {
    process.stderr.write(`cannot read the export: ${(e as Error).message}\n`);
    return 2;
  }
  for (const c of chains) process.stdout.write(`${reportLine(c)}\n`);
  const broken = chains.filter((c) => !c.ok).length;
  process.stdout.write(`${chains.length} chains, ${chains.reduce((a, c) => a + c.records, 0)} records, ${broken} broken\n`);
  return broken > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
