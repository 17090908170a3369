// node --test: the grammar check's splitter agrees with the PySpark runner's on every shared case, and finds what
// the spark-sql shell mishandles in -f files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { splitScript, splitStatements, SplitError } from './split-statements.mjs';

const cases = JSON.parse(readFileSync(new URL('./fixtures/split-cases.json', import.meta.url), 'utf8'));

for (const c of cases) {
  test(`split: ${c.name}`, () => {
    if (c.error) {
      assert.throws(() => splitStatements(c.sql), (e) => {
        assert.ok(e instanceof SplitError);
        assert.deepEqual({ what: e.what, line: e.line, column: e.column }, c.error);
        return true;
      });
    } else {
      const got = splitStatements(c.sql).map(({ text, line, column }) => ({ text, line, column }));
      assert.deepEqual(got, c.statements);
    }
  });
}

test('hazards: semicolons inside strings, identifiers and comments, and lines starting with --', () => {
  const { hazards } = splitScript("-- h;\nSELECT 'a;b' AS `c;d`; /* x; */\n  --y\nSELECT 2");
  assert.deepEqual(hazards, [
    { kind: "a line that starts with '--'", line: 1, column: 1, statement: 1 },
    { kind: "';' inside a comment", line: 1, column: 5, statement: 1 },
    { kind: "';' inside a string", line: 2, column: 10, statement: 1 },
    { kind: "';' inside a backtick identifier", line: 2, column: 19, statement: 1 },
    { kind: "';' inside a comment", line: 2, column: 28, statement: 2 },
    { kind: "a line that starts with '--'", line: 3, column: 3, statement: 2 },
  ]);
});

test('hazards: a script the shell reads safely has none', () => {
  const { hazards } = splitScript("SELECT 'a-b' AS x, 1 - -1 AS y; /* note */ SELECT 2 -- end\n");
  assert.deepEqual(hazards, []);
});

test('text positions tell where each statement text begins', () => {
  const [first, second] = splitStatements('  SELECT 1;\n\n  /* c */ SELECT 2');
  assert.deepEqual([first.textLine, first.textColumn, second.textLine, second.textColumn], [1, 3, 3, 3]);
});
