import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: repoRoot });

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('the lint fence around shared/ (pure domain core)', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'node:fs'],
    ["import fs from 'fs';", 'fs'],
    ["import net from 'node:net';", 'node:net'],
    ["import { DataSource } from 'typeorm';", 'typeorm'],
    ["import express from 'express';", 'express'],
    ["import { Server } from 'socket.io';", 'socket.io'],
    ["import React from 'react';", 'react'],
    ["import Database from 'better-sqlite3';", 'better-sqlite3'],
    ["import { print } from '@tpv/drivers';", 'drivers package'],
  ])('refuses %s (%s)', async (line) => {
    const ids = await ruleIdsFor('shared/src/fence-probe.ts', `${line}\nexport const probe = 1;\n`);
    expect(ids).toContain('no-restricted-imports');
  });

  it('refuses process and fetch globals in shared/', async () => {
    const ids = await ruleIdsFor('shared/src/fence-probe.ts', 'export const a = process.env.X;\nexport const b = fetch;\n');
    expect(ids.filter((id) => id === 'no-restricted-globals')).toHaveLength(2);
  });

  it('lets shared/ import pure libraries and its own modules', async () => {
    const ids = await ruleIdsFor(
      'shared/src/fence-probe.ts',
      "import { z } from 'zod';\nimport { sha256 } from '@noble/hashes/sha2.js';\nimport { ok } from './result';\nexport const s = z.string();\nexport const o = ok;\nexport const h = sha256;\n",
    );
    expect(ids).toEqual([]);
  });

  it('lets the terminal use I/O, but not import the back office', async () => {
    expect(await ruleIdsFor('terminal/src/fence-probe.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toEqual([]);
    expect(await ruleIdsFor('terminal/src/fence-probe.ts', "import { x } from '@tpv/backoffice/server';\nexport const y = x;\n")).toContain('no-restricted-imports');
  });
});
