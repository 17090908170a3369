#!/usr/bin/env node
// Checks Spark SQL scripts against an independent Spark SQL grammar: dt-sql-parser's SparkSQL validator (ANTLR,
// generated from Spark's own SqlBaseParser.g4), pinned in package.json.
//
//   node check-spark-sql.mjs [--cli-safe] [--expect-invalid] [--quiet] FILE.sql|DIR ...
//
// Each file is split into statements with the runner's rules (split-statements.mjs) and each statement is validated
// on its own, so an error names the file, the statement's index and the line and column in the file:
//   fixtures/bad.sql:12:8: statement 3: 'FORM' is not valid at this position ...
// A statement that the grammar reads as two (a missing ';') is an error too.
//   --cli-safe        also reject what the spark-sql shell mishandles in -f files: a ';' inside a string, identifier or
//                     comment, and a line that starts with '--' (rendered scripts must have neither).
//   --expect-invalid  for fixtures of bad SQL: every statement must be rejected; lists those that were accepted.
//   --quiet           print only errors and the summary.
// Exit codes: 0 every statement is as expected; 1 otherwise; 2 usage error or dt-sql-parser missing (run `npm ci`
// here). Runs under plain Node >= 20.6: register-resolver.mjs teaches Node the directory imports of dt-sql-parser's
// ESM build.
import './register-resolver.mjs';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { splitScript, SplitError } from './split-statements.mjs';

const USAGE = 'usage: node check-spark-sql.mjs [--cli-safe] [--expect-invalid] [--quiet] FILE.sql|DIR ...';

function parseArgs(argv) {
  const options = { cliSafe: false, expectInvalid: false, quiet: false, paths: [] };
  for (const arg of argv) {
    if (arg === '--cli-safe') options.cliSafe = true;
    else if (arg === '--expect-invalid') options.expectInvalid = true;
    else if (arg === '--quiet') options.quiet = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else options.paths.push(arg);
  }
  if (options.paths.length === 0) throw new Error('no file or folder given');
  return options;
}

function sqlFiles(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return sqlFiles(child);
      return entry.name.endsWith('.sql') ? [child] : [];
    });
}

async function loadValidator() {
  try {
    const { SparkSQL } = await import('dt-sql-parser');
    return new SparkSQL();
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /dt-sql-parser/.test(error.message)) {
      throw new Error(`dt-sql-parser is not installed: run \`npm ci\` in ${new URL('.', import.meta.url).pathname}`);
    }
    throw error;
  }
}

/** Errors of one statement, at file positions. */
function checkStatement(parser, statement) {
  const toFile = (line, column) =>
    line === 1
      ? { line: statement.textLine, column: statement.textColumn + column - 1 }
      : { line: statement.textLine + line - 1, column };
  const errors = parser.validate(statement.text).map((e) => ({ ...toFile(e.startLine, e.startColumn), message: e.message }));
  if (errors.length === 0) {
    // The grammar accepts statements without ';' between them, so "SELECT 1 SELECT 2" would pass as one.
    const parts = parser.splitSQLByStatement(statement.text) ?? [];
    if (parts.length > 1) {
      const second = parts[1];
      errors.push({
        ...toFile(second.startLine, second.startColumn),
        message: `the grammar reads ${parts.length} statements here; is a ';' missing before this point?`,
      });
    }
  }
  return errors;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`check-spark-sql: ${error.message}\n${USAGE}`);
    return 2;
  }
  let files;
  let parser;
  try {
    files = options.paths.flatMap(sqlFiles);
    parser = await loadValidator();
  } catch (error) {
    console.error(`check-spark-sql: ${error.message}`);
    return 2;
  }

  let statements = 0;
  let problems = 0;
  for (const file of files) {
    const rel = relative(process.cwd(), file);
    const shown = rel && !rel.startsWith('..') ? rel : file;
    const report = (line, column, index, message) => {
      problems++;
      console.log(`${shown}:${line}:${column}: ${index === null ? 'script' : `statement ${index}`}: ${message}`);
    };
    let script;
    try {
      script = splitScript(readFileSync(file, 'utf8'));
    } catch (error) {
      if (!(error instanceof SplitError)) {
        console.error(`check-spark-sql: ${error.message}`);
        return 2;
      }
      report(error.line, error.column, null, error.message);
      continue;
    }
    if (script.statements.length === 0) {
      report(1, 1, null, 'no statements');
      continue;
    }
    for (const statement of script.statements) {
      statements++;
      const errors = checkStatement(parser, statement);
      if (options.expectInvalid) {
        if (errors.length === 0) {
          report(statement.line, statement.column, statement.index, 'accepted, but this statement is expected to be rejected');
        } else if (!options.quiet) {
          const first = errors[0];
          console.log(`${shown}:${first.line}:${first.column}: statement ${statement.index}: rejected as expected: ${first.message}`);
        }
        continue;
      }
      for (const e of errors) report(e.line, e.column, statement.index, e.message);
      if (errors.length === 0 && !options.quiet) {
        console.log(`${shown}:${statement.line}:${statement.column}: statement ${statement.index}: ok`);
      }
    }
    if (options.cliSafe) {
      for (const h of script.hazards) {
        report(h.line, h.column, h.statement, `${h.kind}: the spark-sql shell mishandles this in -f files`);
      }
    }
  }
  const verdict = options.expectInvalid ? 'unexpectedly accepted or unsplittable' : 'errors';
  console.log(`check-spark-sql: ${files.length} files, ${statements} statements, ${problems} ${verdict}`);
  return problems === 0 ? 0 : 1;
}

process.exitCode = await main();
