#!/usr/bin/env node
// The `weir` command. The CLI is TypeScript; tsx's loader lets it run straight from a
// checkout after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
