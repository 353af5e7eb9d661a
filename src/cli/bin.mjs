#!/usr/bin/env node
// The `archer-lab` bin entry: runs the TypeScript command line through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
