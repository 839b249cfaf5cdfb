import { test } from 'node:test';
import { tempDir } from '../helpers';
import { fsKind } from '../versioning/helpers/remote-kinds';
import { sharesRecords } from './shares-records';

test('push and pull share runs, model files, aliases and the audit log; conflicts and tampering fail the pull', () => sharesRecords(fsKind(tempDir('slipway-remote-'))));
