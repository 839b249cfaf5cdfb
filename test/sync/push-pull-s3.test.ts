import { test } from 'node:test';
import { s3Kind } from '../versioning/helpers/remote-kinds';
import { s3ForFile } from '../versioning/helpers/s3';
import { sharesRecords } from './shares-records';

// The CLI children find the local server's keys where they would find real ones: the standard AWS variables.
const s3 = s3ForFile();

test('push and pull share runs, model files, aliases and the audit log through an S3 remote; conflicts and tampering fail the pull', () =>
  sharesRecords(s3Kind(s3(), 'team/project')));
