// Reads the shell commands of a runbook (its fenced `shell` blocks, and inline code that starts with a command) and
// finds the ones that would not run as written against this platform during an incident: an `aws` call without
// `--region`, a `kubectl` call without `--context`, a `kubectl scale` of the API (its HPA reverts it), a `cdk`
// call without `-c env=` or naming a stack the app does not create.

/** What the commands are checked against, derived from the platform configuration by the caller. */
export interface RunbookCommandRules {
  /** Stack ids `cdk` accepts, per environment name (`-c env=<name>`). */
  readonly stackIds: Readonly<Record<string, readonly string[]>>;
  /** Regions the platform uses: the only literal values `--region` may take. */
  readonly regions: readonly string[];
  /** Regions with an EKS cluster: kubeconfig contexts are named after them. */
  readonly clusterRegions: readonly string[];
  /** The one workload `kubectl scale` may touch: the relay Deployment, which no HPA owns. */
  readonly scalableDeployment: string;
}

/** One command found in a runbook, as its words after quote removal. */
export interface RunbookCommand {
  /** The words of the command, quotes and line continuations removed. */
  readonly words: readonly string[];
  /** Whether it came from a fenced shell block (rather than inline code). */
  readonly fenced: boolean;
}

/** Words that start a compound command or precede the real command in a simple one. */
const LEADING_KEYWORDS = new Set([
  'do',
  'then',
  'else',
  'elif',
  'if',
  'while',
  'until',
  '!',
  '{',
  '}',
  'time',
]);
/** Words that make the rest of the "command" shell syntax rather than a program call. */
const SYNTAX_ONLY = new Set(['for', 'case', 'done', 'fi', 'esac', 'in']);
/** Tools the rules apply to; inline code is read as a command only when it starts with one of them. */
const CHECKED_TOOLS = ['npx cdk', 'kubectl', 'aws', 'cdk'];

/** kubectl flags that take the next word as their value (when not written `--flag=value`). */
const KUBECTL_VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '--context',
  '--cluster',
  '--user',
  '--kubeconfig',
  '-l',
  '--selector',
  '-c',
  '--container',
  '-o',
  '--output',
]);
/** cdk flags that take the next word as their value. */
const CDK_VALUE_FLAGS = new Set([
  '-c',
  '--context',
  '-a',
  '--app',
  '--require-approval',
  '--profile',
  '-m',
  '--method',
  '--concurrency',
  '-O',
  '--outputs-file',
  '--toolkit-stack-name',
  '--change-set-name',
  '--parameters',
  '-t',
  '--tags',
  '-r',
  '--role-arn',
]);
/** cdk subcommands that do not read the app, so need no environment. */
const CDK_WITHOUT_APP = new Set(['init', 'doctor', 'docs', 'acknowledge', 'notices', '--version']);

/**
 * Splits shell text into simple commands, each as its words: quote-aware, with `\`-newline continuations joined,
 * pipes, `;`, `&&`, `||`, newlines and subshells as separators, and the commands inside `$( )` and backticks
 * returned as commands of their own. Comments are dropped. It reads, never runs: `<placeholder>` is a word.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let i = 0;

  const substitution = (): string => {
    // At the first character after `$(`: the commands up to the matching `)`.
    parseList(true);
    return '$(...)';
  };

  const doubleQuoted = (): string => {
    // At the first character after `"`.
    let text = '';
    while (i < script.length && script[i] !== '"') {
      const c = script[i];
      if (c === '\\' && i + 1 < script.length) {
        const next = script[i + 1];
        if (next !== '\n') text += '$`"\\'.includes(next) ? next : c + next;
        i += 2;
      } else if (c === '$' && script[i + 1] === '(') {
        i += 2;
        text += substitution();
      } else {
        text += c;
        i += 1;
      }
    }
    i += 1;
    return text;
  };

  function parseList(untilParen: boolean): void {
    let words: string[] = [];
    let word: string | undefined;
    const endWord = () => {
      if (word !== undefined) words.push(word);
      word = undefined;
    };
    const endCommand = () => {
      endWord();
      const command = simpleCommand(words);
      if (command.length > 0) commands.push(command);
      words = [];
    };
    while (i < script.length) {
      const c = script[i];
      if (c === '\\') {
        // A backslash before a newline continues the line; before anything else it quotes that character.
        if (script[i + 1] !== '\n') word = (word ?? '') + (script[i + 1] ?? '');
        i += 2;
      } else if (c === "'") {
        const end = script.indexOf("'", i + 1);
        word = (word ?? '') + script.slice(i + 1, end === -1 ? undefined : end);
        i = end === -1 ? script.length : end + 1;
      } else if (c === '"') {
        i += 1;
        word = (word ?? '') + doubleQuoted();
      } else if (c === '$' && script[i + 1] === '(') {
        i += 2;
        word = (word ?? '') + substitution();
      } else if (c === '`') {
        const end = script.indexOf('`', i + 1);
        commands.push(...shellCommands(script.slice(i + 1, end === -1 ? undefined : end)));
        word = (word ?? '') + '$(...)';
        i = end === -1 ? script.length : end + 1;
      } else if (c === '(') {
        endCommand();
        i += 1;
        parseList(true);
      } else if (c === ')') {
        endCommand();
        i += 1;
        if (untilParen) return;
      } else if (c === '#' && word === undefined) {
        const end = script.indexOf('\n', i);
        i = end === -1 ? script.length : end;
      } else if (c === '\n' || c === ';' || c === '|' || c === '&') {
        endCommand();
        i += 1;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        endWord();
        i += 1;
      } else {
        word = (word ?? '') + c;
        i += 1;
      }
    }
    endCommand();
  }

  parseList(false);
  return commands;
}

/** Drops what precedes the program in a simple command (keywords, `VAR=value`), and shell syntax that calls none. */
function simpleCommand(words: readonly string[]): string[] {
  let start = 0;
  while (
    start < words.length &&
    (LEADING_KEYWORDS.has(words[start]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]))
  ) {
    start += 1;
  }
  const rest = words.slice(start);
  return rest.length === 0 || SYNTAX_ONLY.has(rest[0]) ? [] : rest;
}

/**
 * The commands of a Markdown runbook, in document order: every command of every fenced `shell` block, and inline
 * code spans that start with a checked tool (`kubectl`, `aws`, `cdk`, `npx cdk`) and give it an argument.
 */
export function runbookCommands(markdown: string): RunbookCommand[] {
  const found: { at: number; command: RunbookCommand }[] = [];
  const fence = /^([ \t]*)```([A-Za-z]*)[ \t]*\n([\s\S]*?)^[ \t]*```[ \t]*$/gm;
  let prose = markdown;
  for (const match of markdown.matchAll(fence)) {
    const [block, indent, language, body] = match;
    prose = prose.replace(block, ' '.repeat(block.length));
    if (!['shell', 'sh', 'bash'].includes(language)) continue;
    const script = body
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    for (const words of shellCommands(script))
      found.push({ at: match.index, command: { words, fenced: true } });
  }
  for (const match of prose.matchAll(/`([^`]+)`/g)) {
    const code = match[1].replace(/\s+/g, ' ').trim();
    // Prose names a tool (`kubectl`) or a flag (`aws --region`) too: a command has a subcommand or argument.
    const tool = CHECKED_TOOLS.find((name) => code.startsWith(`${name} `));
    if (tool === undefined || !/(^| )[^-<\s]/.test(code.slice(tool.length))) continue;
    for (const words of shellCommands(code))
      found.push({ at: match.index, command: { words, fenced: false } });
  }
  return found.sort((a, b) => a.at - b.at).map(({ command }) => command);
}

/** The languages of a runbook's fenced blocks, so no command hides in a block the checker does not read. */
export function fenceLanguages(markdown: string): string[] {
  const languages: string[] = [];
  let open = false;
  for (const line of markdown.split('\n')) {
    const fence = /^[ \t]*```(\S*)/.exec(line);
    if (!fence) continue;
    if (!open) languages.push(fence[1]);
    open = !open;
  }
  return languages;
}

/** The lines inside a runbook's fenced `text` blocks. */
function textBlockLines(markdown: string): string[] {
  const lines: string[] = [];
  let inText = false;
  let open = false;
  for (const line of markdown.split('\n')) {
    const fence = /^[ \t]*```(\S*)/.exec(line);
    if (fence) {
      inText = !open && fence[1] === 'text';
      open = !open;
      continue;
    }
    if (inText) lines.push(line);
  }
  return lines;
}

/** `npx [--yes] cdk ...` runs cdk: the words from the program on. */
function withoutNpx(words: readonly string[]): readonly string[] {
  if (words[0] !== 'npx') return words;
  const program = words.findIndex((word, index) => index > 0 && !word.startsWith('-'));
  return program === -1 ? [] : words.slice(program);
}

/** The value of a flag written `--flag value` or `--flag=value`, or undefined when absent. */
function flagValue(words: readonly string[], ...names: string[]): string | undefined {
  for (let index = 0; index < words.length; index += 1) {
    for (const name of names) {
      if (words[index] === name) return words[index + 1] ?? '';
      if (words[index].startsWith(`${name}=`)) return words[index].slice(name.length + 1);
    }
  }
  return undefined;
}

/** Every value of a repeated flag (`-c a=1 -c b=2`). */
function flagValues(words: readonly string[], ...names: string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    for (const name of names) {
      if (words[index] === name && index + 1 < words.length) values.push(words[index + 1]);
      else if (words[index].startsWith(`${name}=`)) values.push(words[index].slice(name.length + 1));
    }
  }
  return values;
}

/** The words that are neither flags nor flag values. */
function positionals(words: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const result: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index];
    if (word.startsWith('-')) {
      if (valueFlags.has(word)) index += 1;
      continue;
    }
    result.push(word);
  }
  return result;
}

/** A value the reader fills in (`<region>`) or the shell does (`$REGION`): not checked against the config. */
function isPlaceholder(value: string): boolean {
  return /[<$]/.test(value);
}

/** `aws` commands that set up the CLI itself rather than call a regional service: `configure`, `sso login`. */
const AWS_LOCAL_COMMANDS = new Set(['configure', 'sso']);

/** What is wrong with one `aws` command, if anything. */
function awsProblems(words: readonly string[], rules: RunbookCommandRules): string[] {
  if (AWS_LOCAL_COMMANDS.has(words[1])) return [];
  const region = flagValue(words, '--region');
  if (region === undefined) return ['aws command without --region'];
  if (!isPlaceholder(region) && !rules.regions.includes(region)) {
    return [`--region ${region} is not a region of the platform (${rules.regions.join(', ')})`];
  }
  return [];
}

/** What is wrong with one `kubectl` command, if anything. */
function kubectlProblems(
  words: readonly string[],
  rules: RunbookCommandRules,
  contextSetAtTop: boolean,
): string[] {
  const problems: string[] = [];
  const args = positionals(words.slice(1), KUBECTL_VALUE_FLAGS);
  if (args[0] === 'config') return [];
  const context = flagValue(words, '--context');
  if (context === undefined) {
    if (!contextSetAtTop) problems.push('kubectl command without --context <region>');
  } else if (!isPlaceholder(context) && !rules.clusterRegions.includes(context)) {
    problems.push(
      `--context ${context} is not a cluster of the platform (${rules.clusterRegions.join(', ')})`,
    );
  }
  const [verb, ...target] = args[0] === 'argo' && args[1] === 'rollouts' ? args.slice(2) : args;
  const relay = rules.scalableDeployment;
  const scalesRelay =
    target.join(' ') === `deploy ${relay}` ||
    target.join(' ') === `deployment ${relay}` ||
    (target.length === 1 && new RegExp(`^(deploy|deployments?)/${relay}$`).test(target[0]));
  if (verb === 'scale' && !scalesRelay) {
    problems.push(
      "kubectl scale of the API: its HPA puts the replica count back; patch the HPA's minReplicas instead",
    );
  }
  return problems;
}

/** What is wrong with one `cdk` command, if anything. */
function cdkProblems(words: readonly string[], rules: RunbookCommandRules): string[] {
  const args = positionals(words.slice(1), CDK_VALUE_FLAGS);
  const subcommand = args[0] ?? words[1];
  if (subcommand === undefined || CDK_WITHOUT_APP.has(subcommand)) return [];
  const env = flagValues(words, '-c', '--context')
    .map((value) => /^env=(.*)$/.exec(value)?.[1])
    .find((value) => value !== undefined);
  if (env === undefined) return ['cdk command without -c env=<name>'];
  const stackIds = rules.stackIds[env];
  if (stackIds === undefined) {
    return [`-c env=${env} is not an environment (${Object.keys(rules.stackIds).join(', ')})`];
  }
  const stacks = args.slice(1);
  const all = words.includes('--all');
  if (stacks.length === 0 && !all && ['deploy', 'destroy'].includes(subcommand)) {
    return [`cdk ${subcommand} names no stack and no --all`];
  }
  return stacks
    .filter((stack) => !stackIds.includes(stack))
    .map(
      (stack) =>
        `cdk names stack '${stack}', which the app does not create in ${env} (${stackIds.join(', ')})`,
    );
}

/**
 * Every problem of a runbook's commands, each as `<problem>: <command>`; empty when every command runs as written.
 * A runbook may set the kubeconfig context once at the top instead of on each command: then its first `kubectl`
 * command is `kubectl config use-context <region>`, in a fenced block.
 */
export function runbookCommandProblems(markdown: string, rules: RunbookCommandRules): string[] {
  const commands = runbookCommands(markdown);
  const kubectl = commands.filter(({ words }) => words[0] === 'kubectl');
  const first = kubectl[0];
  const contextSetAtTop =
    first !== undefined && first.fenced && first.words[1] === 'config' && first.words[2] === 'use-context';
  const problems: string[] = [];
  const languages = fenceLanguages(markdown).filter(
    (language) => !['shell', 'promql', 'text'].includes(language),
  );
  for (const language of languages) {
    problems.push(`a fenced block must be \`shell\`, \`promql\` or \`text\`, not '${language || '(none)'}'`);
  }
  // A `text` block is for diagrams and output: a command in it would escape every check.
  for (const line of textBlockLines(markdown)) {
    if (CHECKED_TOOLS.some((tool) => line.trim().startsWith(`${tool} `))) {
      problems.push(`a command belongs in a \`shell\` block, not a \`text\` one: ${line.trim()}`);
    }
  }
  for (const { words } of commands) {
    const program = withoutNpx(words);
    const found =
      program[0] === 'aws'
        ? awsProblems(program, rules)
        : program[0] === 'kubectl'
          ? kubectlProblems(program, rules, contextSetAtTop)
          : program[0] === 'cdk'
            ? cdkProblems(program, rules)
            : [];
    problems.push(...found.map((problem) => `${problem}: ${words.join(' ')}`));
  }
  return problems;
}
