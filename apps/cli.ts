#!/usr/bin/env node
// `npx homelab-secrets <command>`: the operator commands over the homelab's declaration.
import { cliMain } from '../lib/cli';
import { homelabDeclaration } from './homelab';

void cliMain(homelabDeclaration());
