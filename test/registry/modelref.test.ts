import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { formatModelRef, parseModelRef, validateAlias, type ModelRef } from '../../src/engine/registry';

describe('MODELREF parsing', () => {
  const good: [string, ModelRef][] = [
    ['credit-risk', { kind: 'name', name: 'credit-risk' }],
    ['credit-risk@champion', { kind: 'alias', name: 'credit-risk', alias: 'champion' }],
    ['credit-risk:3', { kind: 'version', name: 'credit-risk', version: 3 }],
    ['  Credit Risk Model:12 ', { kind: 'version', name: 'Credit Risk Model', version: 12 }],
    ['m@prod_2-b', { kind: 'alias', name: 'm', alias: 'prod_2-b' }],
  ];
  for (const [text, expected] of good) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseModelRef(text), expected);
      assert.deepEqual(parseModelRef(formatModelRef(expected)), expected);
    });
  }

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['@champion', /name before "@"/],
    ['model@', /alias after "@"/],
    ['model:', /version "" after ":"/],
    ['model:0', /not a positive integer/],
    ['model:v3', /not a positive integer/],
    ['model:1.5', /not a positive integer/],
    ['a@b@c', /more than one "@"/],
    ['a:1:2', /more than one ":"/],
    ['a@b:1', /both "@" and ":"/],
    ['model@latest', /reserved/],
    ['model@v2', /reserved/],
    ['model@has space', /letters, digits/],
    ['a/b', /contains/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseModelRef(text),
        (error: unknown) => error instanceof SlipwayError && error.code === 'INVALID_PARAMETER_VALUE' && message.test(error.message),
      );
    });
  }

  it('limits alias length', () => {
    assert.equal(validateAlias('a'.repeat(255)), 'a'.repeat(255));
    assert.throws(() => validateAlias('a'.repeat(256)), /longer than 255/);
  });
});
