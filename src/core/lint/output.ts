// Output formats for lint findings: text for terminals, SARIF 2.1.0 for code-scanning uploads.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, ruleDocsUrl } from './registry';
import type { Finding, Severity } from './types';

/**
 * `showHints`: list `hint` findings too (size unknown, or measured cold); by default only counted.
 * `width`: a terminal's width: each finding is wrapped at word boundaries, continued on lines indented by two
 * spaces; without it (a pipe, a file) one finding is one line, for grep.
 */
export function formatText(allFindings: readonly Finding[], cwd: string, showHints = false, width?: number, filesLinted?: number): string {
  const findings = showHints ? allFindings : allFindings.filter(finding => finding.severity !== 'hint');
  const hidden = allFindings.length - findings.length;
  const lines = findings.map(finding => {
    const where = `${path.relative(cwd, finding.file) || finding.file}:${finding.line}:${finding.column}`;
    const fixable = finding.fix ? ' (fixable)' : finding.suggestions.length > 0 ? ' (suggestion)' : '';
    const text = `${where}  ${finding.severity.padEnd(7)}  ${finding.message}  ${finding.ruleId}${fixable}`;
    return width !== undefined && width >= MIN_WRAP_WIDTH ? wrapWords(text, width, '  ') : text;
  });
  const fixable = findings.filter(finding => finding.fix).length;
  const suggested = findings.filter(finding => !finding.fix && finding.suggestions.length > 0).length;
  const scope = filesLinted === undefined ? '' : ` in ${filesLinted} file${filesLinted === 1 ? '' : 's'}`;
  lines.push(findings.length === 0
    ? `no findings${scope}`
    : `${findings.length} finding${findings.length === 1 ? '' : 's'}${scope}${fixable ? `, ${fixable} fixable with --fix` : ''}`
      + `${suggested ? `, ${suggested} with a suggested rewrite to review first (the editor's quick fix; in --format json)` : ''}`);
  if (hidden > 0) lines.push(`${hidden} hint${hidden === 1 ? '' : 's'} not shown (size unknown or measured cold; --all shows them)`);
  return `${lines.join('\n')}\n`;
}

/** Narrower terminals get one line per finding (wrapping would leave a word or two per line). */
const MIN_WRAP_WIDTH = 40;

/** `text` in lines of at most `width` characters, broken at spaces (a longer word gets a line of its own). */
function wrapWords(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  // Words and the runs of spaces between them: the spaces are kept inside a line, dropped at a break.
  const parts = text.split(/( +)/);
  let line = parts[0];
  for (let index = 2; index < parts.length; index += 2) {
    const [spaces, word] = [parts[index - 1], parts[index]];
    if (`${line}${spaces}${word}`.length <= width || line.trim() === '') {
      line = `${line}${spaces}${word}`;
    } else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const PARSE_ERROR_RULE = { id: 'parse-error', description: 'The file could not be parsed; no other rule ran on it.' };

export function formatSarif(findings: readonly Finding[], cwd: string, version: string): object {
  const rules = [
    ...RULES.map(rule => ({ id: rule.meta.id, description: rule.meta.description, level: SARIF_LEVEL[rule.meta.defaultSeverity], helpUri: ruleDocsUrl(rule.meta.id) })),
    { ...PARSE_ERROR_RULE, level: 'error' as const, helpUri: ruleDocsUrl('parse-error').replace('parse-error.md', 'README.md') },
  ];
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'hotspots',
          version,
          informationUri: 'https://github.com/hotspots-dev/hotspots',
          rules: rules.map(rule => ({
            id: rule.id,
            name: rule.id.replace(/[/-](\w)/g, (_, letter: string) => letter.toUpperCase()),
            shortDescription: { text: rule.description },
            helpUri: rule.helpUri,
            defaultConfiguration: { level: rule.level },
          })),
        },
      },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
      results: findings.map(finding => {
        const relative = path.relative(cwd, finding.file);
        const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
        return {
          ruleId: finding.ruleId,
          ruleIndex: index.get(finding.ruleId) ?? -1,
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [{
            physicalLocation: {
              artifactLocation: inside ? { uri: relative.split(path.sep).join('/'), uriBaseId: 'SRCROOT' } : { uri: pathToFileURL(finding.file).href },
              region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
            },
          }],
        };
      }),
    }],
  };
}
