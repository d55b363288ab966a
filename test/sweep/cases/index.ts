// Every case of the sweep, by kind.
import type { SweepCase } from '../case';
import { CATALOG_CASES } from './catalog';
import { CLI_CASES, VAULT_CASES } from './cli';
import { CONSUMER_CASES } from './consumer';
import { FILES_CASES } from './files';
import { IMPORT_CASES } from './import';
import { IMPORT_KILL_CASES, KILL_CASES } from './kill';
import { MODULE_CASES } from './modules';
import { SETTINGS_CASES } from './settings';

export const ALL_CASES: readonly SweepCase[] = [
  ...CATALOG_CASES,
  ...SETTINGS_CASES,
  ...CONSUMER_CASES,
  ...IMPORT_CASES,
  ...CLI_CASES,
  ...VAULT_CASES,
  ...FILES_CASES,
  ...KILL_CASES,
  ...IMPORT_KILL_CASES,
  ...MODULE_CASES,
];
