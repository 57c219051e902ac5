import fc from 'fast-check';

/** The subset of JSON Schema (as OpenAPI 3.1 carries it) that the service's route schemas use. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
}

interface Parameter {
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly name: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: JsonSchema }>> };
}

/** The parts of an OpenAPI 3.1 document the generator reads. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, JsonSchema>> };
}

/** One method on one path of the document. */
export interface DocumentedOperation {
  readonly method: string;
  readonly path: string;
  readonly operation: Operation;
}

/** A request ready for `app.inject`. */
export interface GeneratedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: string;
}

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** Values that real rows have, so that some generated requests get past "not found" into the writes. */
export interface KnownValues {
  /** Ids of rows the caller may read or change, in their canonical (lower-case) form. */
  readonly ids: readonly string[];
}

/** How many inputs (path and query parameters, body) an operation takes, to size its number of runs. */
export function inputCountOf({ operation }: DocumentedOperation): number {
  const parameters = (operation.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
  return Math.max(1, parameters.length + (operation.requestBody ? 1 : 0));
}

/** Which inputs of a request carry odd values: one of them (by index), or all at once. */
type Oddness = number | 'all';

/**
 * Requests for one operation: path and query parameters and the JSON body, drawn from their schemas, with
 * edge cases mixed into every string (NUL, lone surrogates, `urn:uuid:` and mixed-case ids, impossible dates,
 * strings at and past their maxLength, wrong types) and raw bytes in the URL. Mostly one input is odd and the
 * others are plain, as in schemathesis's negative testing: an odd value alone gets past validation of the
 * others into the handler, where a 500 hides. Headers only ever take values their schema allows.
 */
export function requestsFor(
  document: OpenApiDocument,
  { method, path, operation }: DocumentedOperation,
  known: KnownValues,
): fc.Arbitrary<GeneratedRequest> {
  const values = new SchemaValues(document, known);
  const parameters = operation.parameters ?? [];
  const ofKind = (kind: Parameter['in']) => parameters.filter((parameter) => parameter.in === kind);
  const pathParameters = ofKind('path');
  const queryParameters = ofKind('query');
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  // A header with a control character never leaves a client, so headers only take values their schema allows.
  const headers = fc.record(
    Object.fromEntries(ofKind('header').map((p) => [p.name, values.conforming(p.schema).map(String)])),
    { requiredKeys: [] },
  );

  const build = (odd: Oddness) => {
    const isOdd = (index: number) => odd === 'all' || odd === index;
    const pathSegments = fc.tuple(
      ...pathParameters.map((p, index) =>
        isOdd(index) ? values.pathSegment(p.schema) : values.conforming(p.schema).map(encodeSegment),
      ),
    );
    const query = fc.tuple(
      ...queryParameters.map((p, index) => {
        const entry = (value: unknown): [string, string] => [p.name, queryValue(value)];
        if (odd === index) return values.of(p.schema).map(entry);
        // Optional parameters are mostly left out, so that they seldom stand in the way of the odd one.
        const present = (odd === 'all' ? values.of(p.schema) : values.conforming(p.schema)).map(entry);
        return p.required ? present : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, present);
      }),
      odd === 'all'
        ? fc.constantFrom(undefined, ['unknown', 'x'] as [string, string])
        : fc.constant(undefined),
    );
    const bodyIsOdd = isOdd(pathParameters.length + queryParameters.length);
    const body = !bodySchema
      ? fc.constant(undefined)
      : !bodyIsOdd
        ? values.conforming(bodySchema)
        : odd === 'all'
          ? fc.oneof({ weight: 9, arbitrary: values.of(bodySchema) }, fc.jsonValue({ maxDepth: 2 }))
          : values.oneOdd(bodySchema);
    return fc.record({ pathSegments, query, body });
  };

  // Built once per case rather than per request (`chain` would rebuild every arbitrary for each request).
  const inputs = inputCountOf({ method, path, operation });
  const oneOddInput = Array.from({ length: inputs }, (_, index) => build(index));
  const requests = fc.oneof(...oneOddInput.map((arbitrary) => ({ weight: 3, arbitrary })), {
    weight: inputs,
    arbitrary: build('all'),
  });
  return fc.tuple(requests, headers).map(([{ pathSegments, query, body }, headers]) => {
    const search = new URLSearchParams(query.filter((entry) => entry !== undefined)).toString();
    const segments = Object.fromEntries(pathParameters.map((p, index) => [p.name, pathSegments[index]]));
    const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => segments[name]);
    const request: GeneratedRequest = {
      method,
      url: search ? `${url}?${search}` : url,
      headers: {
        ...(headers as Record<string, string>),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    };
    // fast-check prints a counterexample with this method (fast-check's `toStringMethod`).
    return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
  });
}

/** A request on one line, long runs of one character collapsed, for a counterexample a person can read. */
export function describeRequest({ method, url, headers, payload }: GeneratedRequest): string {
  const shownHeaders = Object.keys(headers).length > 0 ? ` ${JSON.stringify(headers)}` : '';
  return abbreviate(`${method} ${url}${shownHeaders}${payload === undefined ? '' : ` ${payload}`}`);
}

/** Collapses runs of one character (`x…(×10001)`) and cuts what is left at 600 characters. */
export function abbreviate(text: string): string {
  const collapsed = text.replace(/(.)\1{19,}/gsu, (run, char: string) => `${char}…(×${[...run].length})`);
  return collapsed.length > 600 ? `${collapsed.slice(0, 600)}…` : collapsed;
}

/** Strings that have broken services before: empty, NUL, lone surrogates, combining marks, bidi, SQL. */
const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d\ude00',
  'e\u0301',
  '\u202eevil',
  '\ufeff',
  '日本語',
  'null',
  '0',
  '-1',
  "' OR 1=1 --",
  '%00',
  '\\u0000',
];

/** NUL, both halves of a surrogate pair alone, a bidi override, a byte-order mark. */
const ODD_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\u202e', '\ufeff'];

/** URL path segments as raw bytes: bad percent-encoding, a UTF-8-encoded lone surrogate, a NUL, a slash. */
const RAW_SEGMENTS = ['%', '%ZZ', '%FF', '%ED%A0%80', '%00', '%2F', '..', 'a%20b'];

class SchemaValues {
  /** Ids as PostgreSQL prints them, mostly of real rows. */
  private readonly canonical: fc.Arbitrary<string>;
  /** The same ids in every spelling a client might use. */
  private readonly uuids: fc.Arbitrary<string>;

  private readonly knownIds: readonly string[];

  constructor(
    private readonly document: OpenApiDocument,
    known: KnownValues,
  ) {
    this.knownIds = known.ids;
    const canonical = (this.canonical = fc.oneof(
      { weight: 3, arbitrary: known.ids.length > 0 ? fc.constantFrom(...known.ids) : fc.uuid() },
      { weight: 1, arbitrary: fc.uuid() },
    ));
    // The spellings of one UUID that validators accept and PostgreSQL's uuid input may not (RFC 9562 §4).
    this.uuids = fc.oneof(
      { weight: 3, arbitrary: canonical },
      canonical.map((id) => id.toUpperCase()),
      fc
        .tuple(canonical, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
        .map(([id, upper]) => [...id].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')),
      canonical.map((id) => `urn:uuid:${id}`),
      canonical.map((id) => `{${id}}`),
      canonical.map((id) => id.replaceAll('-', '')),
      canonical.map((id) => `${id}\u0000`),
    );
  }

  /** Any value for `schema`: mostly conforming, often at its edges, sometimes of the wrong type. */
  of(schema: JsonSchema): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    const wrongType = fc.constantFrom<unknown>(null, true, 0, -1.5, [], {}, 'text');
    switch (resolved.type) {
      case 'string':
        return fc.oneof(
          { weight: 3, arbitrary: this.conforming(resolved) },
          { weight: 8, arbitrary: this.edgeString(resolved) },
          { weight: 1, arbitrary: wrongType },
        );
      case 'integer':
      case 'number':
        return fc.oneof(
          { weight: 4, arbitrary: this.conforming(resolved) },
          fc.constantFrom<unknown>(
            (resolved.minimum ?? 0) - 1,
            (resolved.maximum ?? 0) + 1,
            2 ** 31,
            Number.MAX_SAFE_INTEGER + 2,
            1.5,
            '1e2',
            '0x10',
            ' 5',
            '',
          ),
          wrongType,
        );
      case 'object':
        return fc.oneof(
          { weight: 8, arbitrary: this.object(resolved, (s) => this.of(s)) },
          this.object(resolved, (s) => this.of(s)).map((value) => ({ ...(value as object), unknown: 'x' })),
          wrongType,
        );
      case 'array':
        return fc.oneof({ weight: 8, arbitrary: this.array(resolved, (s) => this.of(s)) }, wrongType);
      default:
        return this.conforming(resolved);
    }
  }

  /** A value the schema accepts (as far as the generator knows it), for headers and the happy path. */
  conforming(schema: JsonSchema): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    if (resolved.enum) return fc.constantFrom(...resolved.enum);
    if (resolved.anyOf) return fc.oneof(...resolved.anyOf.map((member) => this.conforming(member)));
    switch (resolved.type) {
      case 'string': {
        // Real ids where the schema takes them, so that plain requests find rows to read and change.
        const pattern = resolved.pattern === undefined ? undefined : new RegExp(resolved.pattern);
        const matching = this.knownIds.filter((id) => pattern?.test(id) || resolved.format === 'uuid');
        const generated = this.plainString(resolved, pattern);
        return matching.length > 0
          ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...matching) }, generated)
          : generated;
      }
      case 'integer':
        return fc.integer({ min: resolved.minimum ?? -(2 ** 31), max: resolved.maximum ?? 2 ** 31 });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'object':
        return this.object(resolved, (s) => this.conforming(s));
      case 'array':
        return this.array(resolved, (s) => this.conforming(s));
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  }

  /** Like `of`, but in an object only one property is odd (at any depth) and the others are plain. */
  oneOdd(schema: JsonSchema): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    if (resolved.type === 'array') return this.array(resolved, (items) => this.oneOdd(items));
    if (resolved.type !== 'object') return this.of(resolved);
    const properties = Object.entries(resolved.properties ?? {});
    if (properties.length === 0) return this.of(resolved);
    return fc.oneof(
      ...properties.map(([odd]) =>
        fc.record(
          Object.fromEntries(
            properties.map(([name, property]) => [
              name,
              name === odd ? this.oneOdd(property) : this.conforming(property),
            ]),
          ),
          { requiredKeys: [...(resolved.required ?? []), odd] },
        ),
      ),
      { weight: Math.max(1, properties.length / 2), arbitrary: this.of(resolved) },
    );
  }

  /** An odd path segment: any value encoded as a client would, or raw bytes no client should send. */
  pathSegment(schema: JsonSchema): fc.Arbitrary<string> {
    return fc.oneof(
      { weight: 8, arbitrary: this.of(schema).map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    );
  }

  private plainString(schema: JsonSchema, pattern: RegExp | undefined): fc.Arbitrary<string> {
    if (schema.format === 'uuid') return this.uuids;
    if (schema.format === 'email') return fc.emailAddress();
    if (schema.format === 'date-time') return oddTimestamps();
    if (pattern) return fc.stringMatching(pattern, { maxLength: 40 });
    return fc.string({
      unit: 'grapheme',
      minLength: schema.minLength ?? 0,
      maxLength: Math.min(schema.maxLength ?? 40, 40),
    });
  }

  private edgeString(schema: JsonSchema): fc.Arbitrary<string> {
    const limit = schema.maxLength ?? 10_000;
    return fc.oneof(
      fc.constantFrom(...EDGE_STRINGS),
      // One character that storage or encoders refuse, inside ordinary text.
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.string({ maxLength: 10 }),
            fc.constantFrom(...ODD_CHARACTERS),
            fc.string({ maxLength: 10 }),
          )
          .map((parts) => parts.join('')),
      },
      // At the limit in ASCII, in 2-byte and in astral characters (one code point, two UTF-16 units), and past it.
      fc.constantFrom('x'.repeat(limit), 'é'.repeat(limit), '😀'.repeat(limit), 'x'.repeat(limit + 1)),
      this.uuids,
      oddTimestamps(),
      { weight: 5, arbitrary: this.opaqueTokens() },
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
  }

  /**
   * Base64url-encoded JSON, the shape of the tokens this API hands out (the list cursor): a blind fuzzer almost
   * never produces one, so the generator builds them from the same odd dates and ids as everything else.
   */
  private opaqueTokens(): fc.Arbitrary<string> {
    return fc
      .oneof(
        {
          weight: 6,
          arbitrary: fc.tuple(
            oddTimestamps(),
            fc.oneof({ weight: 3, arbitrary: this.canonical }, this.uuids),
          ),
        },
        fc.array(fc.oneof(oddTimestamps(), this.uuids, fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 }),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map((content) => Buffer.from(JSON.stringify(content)).toString('base64url'));
  }

  private object(
    schema: JsonSchema,
    value: (schema: JsonSchema) => fc.Arbitrary<unknown>,
  ): fc.Arbitrary<unknown> {
    const properties = Object.entries(schema.properties ?? {});
    return fc.record(Object.fromEntries(properties.map(([name, property]) => [name, value(property)])), {
      requiredKeys: (schema.required ?? []) as string[],
    });
  }

  private array(
    schema: JsonSchema,
    value: (schema: JsonSchema) => fc.Arbitrary<unknown>,
  ): fc.Arbitrary<unknown> {
    const items = schema.items ? value(schema.items) : fc.jsonValue({ maxDepth: 1 });
    const most = schema.maxItems ?? 10;
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(most, 3) }),
      },
      // Exactly at and just past maxItems, as copies of one item so the request stays small to build.
      fc.tuple(items, fc.constantFrom(most, most + 1)).map(([item, count]) => Array(count).fill(item)),
    );
  }

  private resolve(schema: JsonSchema): JsonSchema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = this.document.components?.schemas?.[name];
    if (!target) throw new Error(`${schema.$ref} is not in the document's components.schemas`);
    return this.resolve(target);
  }
}

/**
 * RFC 3339 timestamps in the shape PostgreSQL prints them, most at the calendar's edges (30 February,
 * 29 February of a common year, 31 April, year 0, hour 24), some past any calendar (month 13, minute 60).
 */
function oddTimestamps(): fc.Arbitrary<string> {
  const pick = (...choices: string[]) => fc.constantFrom(...choices);
  const timestamp = (fields: fc.Arbitrary<string>[]) =>
    fc.tuple(...fields).map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.000000Z`);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: timestamp([
        pick('2024', '2023', '0000', '9999'),
        pick('02', '04'),
        pick('29', '30', '31'),
        pick('00', '23', '24'),
        pick('00', '59'),
        pick('00', '59'),
      ]),
    },
    timestamp([
      pick('2024'),
      pick('00', '13'),
      pick('00', '01', '32'),
      pick('25', '99'),
      pick('60'),
      pick('60', '61'),
    ]),
  );
}

/** How a query parameter carries any value: strings as they are, everything else as its JSON. */
function queryValue(value: unknown): string {
  return typeof value === 'string' ? wellFormed(value) : JSON.stringify(value);
}

/** A value as a path segment, percent-encoded as a client would. */
function encodeSegment(value: unknown): string {
  return encodeURIComponent(wellFormed(String(value)));
}

/** A URL can only carry well-formed UTF-16: lone surrogates become U+FFFD, as URLSearchParams does. */
function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
