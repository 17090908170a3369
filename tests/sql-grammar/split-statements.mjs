// Splits a Spark SQL script into statements by the same rules as submit/spark_sql_runner.py (both are checked against
// fixtures/split-cases.json): '...' and "..." strings with backslash escapes (R'...' raw strings without), `backtick`
// identifiers, -- line comments (a trailing backslash continues them, as in Spark's lexer), nested /* */ comments; a
// ';' inside any of those is not a separator; the last statement needs no ';'; statements made only of whitespace and
// comments are skipped.

export class SplitError extends Error {
  constructor(what, line, column) {
    super(`unterminated ${what} starting at line ${line}, column ${column}`);
    this.what = what;
    this.line = line;
    this.column = column;
  }
}

function positionsOf(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

const isWordChar = (ch) => /[\p{L}\p{N}_]/u.test(ch);
const isSpace = (ch) => /\s/u.test(ch);

/** The statements alone; see splitScript. */
export function splitStatements(input) {
  return splitScript(input).statements;
}

/**
 * @returns {{statements: {index: number, text: string, line: number, column: number, textLine: number,
 *            textColumn: number}[], hazards: {kind: string, line: number, column: number, statement: number|null}[]}}
 * A statement's line/column is its first character that is not whitespace or comment; textLine/textColumn is where
 * `text` begins. Hazards are what the spark-sql shell mishandles when it reads a -f file: a ';' inside a string,
 * identifier or comment, and a line that starts with '--'; `statement` is the index of the statement they are in.
 */
export function splitScript(input) {
  const sql = input.startsWith('\ufeff') ? input.slice(1) : input;
  const at = positionsOf(sql);
  const statements = [];
  const n = sql.length;
  let start = 0;
  let codeStart = -1;
  const hazards = [];
  const spans = [];

  const emit = (end) => {
    if (codeStart < 0) return;
    spans.push([start, end]);
    const raw = sql.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const code = at(codeStart);
    const textAt = at(start + lead);
    statements.push({
      index: statements.length + 1,
      text: raw.trim(),
      line: code.line,
      column: code.column,
      textLine: textAt.line,
      textColumn: textAt.column,
    });
  };
  const semicolonsIn = (from, to, what) => {
    for (let k = from; k < to; k++) {
      if (sql[k] === ';') hazards.push({ kind: `';' inside a ${what}`, offset: k });
    }
  };

  let i = 0;
  while (i < n) {
    const ch = sql[i];
    if (ch === '-' && sql.startsWith('--', i)) {
      const opened = i;
      i += 2;
      while (i < n && sql[i] !== '\n') {
        i += sql[i] === '\\' && sql[i + 1] === '\n' ? 2 : 1;
      }
      semicolonsIn(opened, i, 'comment');
      continue;
    }
    if (ch === '/' && sql.startsWith('/*', i)) {
      if (sql.startsWith('/*+', i) && codeStart < 0) codeStart = i;
      const opened = i;
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
      if (depth > 0) {
        const p = at(opened);
        throw new SplitError('/* comment', p.line, p.column);
      }
      semicolonsIn(opened, i, 'comment');
      continue;
    }
    if (ch === "'" || ch === '"') {
      const raw = i > 0 && (sql[i - 1] === 'r' || sql[i - 1] === 'R') && (i < 2 || !isWordChar(sql[i - 2]));
      if (codeStart < 0) codeStart = raw ? i - 1 : i;
      let j = i + 1;
      while (j < n && sql[j] !== ch) {
        j += sql[j] === '\\' && !raw ? 2 : 1;
      }
      if (j >= n) {
        const p = at(i);
        throw new SplitError(ch === "'" ? 'string' : 'double-quoted string', p.line, p.column);
      }
      semicolonsIn(i, j, ch === "'" ? 'string' : 'double-quoted string or identifier');
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      if (codeStart < 0) codeStart = i;
      const j = sql.indexOf('`', i + 1);
      if (j < 0) {
        const p = at(i);
        throw new SplitError('backtick identifier', p.line, p.column);
      }
      semicolonsIn(i, j, 'backtick identifier');
      i = j + 1;
      continue;
    }
    if (ch === ';') {
      emit(i);
      start = i + 1;
      codeStart = -1;
      i++;
      continue;
    }
    if (codeStart < 0 && !isSpace(ch)) codeStart = i;
    i++;
  }
  emit(n);

  // The shell drops lines that start with '--' wherever they are, even inside a string.
  const lineStart = /^[ \t]*--/gm;
  for (let m; (m = lineStart.exec(sql)) !== null; ) {
    hazards.push({ kind: "a line that starts with '--'", offset: m.index + m[0].length - 2 });
  }
  hazards.sort((a, b) => a.offset - b.offset);
  return {
    statements,
    hazards: hazards.map(({ kind, offset }) => {
      const owner = spans.findIndex(([from, to]) => offset >= from && offset <= to);
      return { kind, ...at(offset), statement: owner < 0 ? null : owner + 1 };
    }),
  };
}
