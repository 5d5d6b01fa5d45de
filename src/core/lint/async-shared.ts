// What the async rules treat as order-dependent: calls whose names say they write, lock, wait, retry or
// set up/tear down (anywhere in the name: `$save`, `disconnect`, `createDatabaseDirectory`), and calls
// through one shared resource (a connection, client, transaction, query runner), which serialises them
// anyway. Running those concurrently changes behaviour, or gains nothing, even when no data flows between them.
import type { TSESTree } from '@typescript-eslint/typescript-estree';

/** Words of a name that imply order (matched as whole words of the camelCase / snake_case name). */
const ORDERED_WORDS: ReadonlySet<string> = new Set([
  'write', 'writes', 'append', 'insert', 'upsert', 'update', 'delete', 'remove', 'save', 'put', 'post', 'patch',
  'send', 'emit', 'publish', 'log', 'print', 'lock', 'unlock', 'acquire', 'release', 'sleep', 'delay', 'wait',
  'retry', 'backoff', 'poll', 'timeout', 'commit', 'rollback', 'transaction', 'migrate', 'migration', 'migrations',
  'exec', 'execute', 'spawn', 'next', 'read', 'pipe', 'flush', 'close', 'open', 'connect', 'disconnect',
  'reconnect', 'unlink', 'rename', 'mkdir', 'rm', 'rmdir', 'copy', 'move', 'truncate', 'drop', 'create', 'alter',
  'add', 'set', 'init', 'initialize', 'initialise', 'destroy', 'dispose', 'setup', 'teardown', 'start', 'stop',
  'begin', 'end', 'finish', 'shutdown', 'hook', 'hooks', 'before', 'after', 'seed', 'run', 'register', 'install',
  'reset', 'clear', 'kill', 'quit', 'listen', 'bind', 'subscribe', 'unsubscribe', 'enqueue', 'dequeue',
  'push', 'pop', 'shift', 'increment', 'decrement', 'raw', 'sync', 'require', 'import', 'validate', 'apply', 'call',
  'down', 'up', 'press', 'click', 'tap', 'type', 'fill', 'move', 'hover', 'focus', 'goto', 'navigate', 'reload', 'attach',
  'detach', 'populate', 'inject',
]);

/** Names of receivers that are one shared resource: calls through them run one at a time (or must). */
const RESOURCE_WORDS: ReadonlySet<string> = new Set([
  'connection', 'conn', 'client', 'db', 'database', 'trx', 'transaction', 'tx', 'runner', 'session', 'socket',
  'redis', 'channel', 'cursor', 'stream', 'knex', 'sequelize', 'driver', 'pg', 'mysql', 'sqlite', 'mongo',
  'writer', 'reader', 'page', 'browser', 'context', 'queue', 'lock', 'mutex', 'port', 'worker', 'process',
  'hooks', 'frame', 'mouse', 'keyboard', 'element', 'handle',
]);

/** `createDatabaseDirectory` → create, database, directory; `$save` → save; `DROP_TABLE` → drop, table. */
export function nameWords(name: string): string[] {
  return name.replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z\d]+/).filter(Boolean);
}

/** Name of the function an awaited expression calls (`a.b.writeFile(...)` → `writeFile`). */
export function calleeName(expression: TSESTree.Node): string | null {
  if (expression.type !== 'CallExpression' && expression.type !== 'NewExpression') return null;
  const callee = expression.callee;
  // `x.unlink(p).catch(...)`: the work is the inner call.
  if (callee.type === 'MemberExpression' && callee.object.type === 'CallExpression' && !callee.computed && callee.property.type === 'Identifier'
    && (callee.property.name === 'catch' || callee.property.name === 'then' || callee.property.name === 'finally')) return calleeName(callee.object);
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
  return null;
}

export function isOrderedCall(expression: TSESTree.Node): boolean {
  const name = calleeName(expression);
  return name !== null && !isFileRead(name) && nameWords(name).some(word => ORDERED_WORDS.has(word));
}

/** What a `read…` call reads when it reads from the file system rather than the next bytes of a stream. */
const FILE_READ_OBJECTS: ReadonlySet<string> = new Set(['file', 'files', 'json', 'dir', 'directory', 'link']);

/** `fs` calls that read a directory or a file's metadata. */
const FILE_METADATA_READS: ReadonlySet<string> = new Set(['readdir', 'stat', 'lstat', 'access', 'readlink', 'realpath', 'pathExists']);

/**
 * `readFile`, `readJson`, `readJsonFile`: reading a file changes nothing, so reads of different files need no
 * order. `read`, `readLine`, `readBytes` take the next piece of a stream and stay ordered, and so does a read
 * whose name also writes (`readFileAndDelete`).
 */
function isFileRead(name: string): boolean {
  if (FILE_METADATA_READS.has(name)) return true;
  const [first, second, ...rest] = nameWords(name);
  return first === 'read' && second !== undefined && FILE_READ_OBJECTS.has(second) && !rest.some(word => ORDERED_WORDS.has(word));
}

/** Whether an awaited expression reads the file system (`fs.readFile(p)`, `readJson(p)`); see isFileRead. */
export function isFileReadCall(expression: TSESTree.Node): boolean {
  const name = calleeName(expression);
  return name !== null && isFileRead(name);
}

/** `queryRunner` in `queryRunner.dropColumn()`, `this.client` in `this.client.get()`; null for plain calls. */
export function receiverOf(expression: TSESTree.Node): TSESTree.Node | null {
  if (expression.type !== 'CallExpression' || expression.callee.type !== 'MemberExpression') return null;
  return expression.callee.object;
}

/** Whether the call goes through a receiver whose name says it is one shared resource (a connection, a transaction...). */
export function isSharedResourceCall(expression: TSESTree.Node): boolean {
  let receiver = receiverOf(expression);
  const isResource = (name: string) => nameWords(name).some(word => RESOURCE_WORDS.has(word));
  // Along the chain: `trx.table('t').where(row)`, `this.db.users.find()`.
  while (receiver && receiver.type !== 'ThisExpression') {
    if (receiver.type === 'Identifier') return isResource(receiver.name);
    if (receiver.type === 'MemberExpression') {
      if (!receiver.computed && receiver.property.type === 'Identifier' && isResource(receiver.property.name)) return true;
      receiver = receiver.object;
    } else if (receiver.type === 'CallExpression') {
      receiver = receiver.callee;
    } else {
      return false;
    }
  }
  // `this.query(...)` inside a class that is a connection, client, transaction...
  if (receiver?.type === 'ThisExpression') {
    for (let current: TSESTree.Node | undefined = receiver.parent; current; current = current.parent) {
      if ((current.type === 'ClassDeclaration' || current.type === 'ClassExpression') && current.id) return nameWords(current.id.name).some(word => RESOURCE_WORDS.has(word));
    }
  }
  return false;
}

export const CONCURRENCY_CONDITIONS = 'iterations are independent (none needs an earlier one\'s side effects), the callee tolerates that many concurrent calls (rate limits, connection pools), and a failure no longer stops the remaining iterations from starting';
