import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

/**
 * Fastify's serializer factory (fast-json-stringify), building each distinct response schema once per app.
 * By default every route and status code compiles its own serializer: this service's routes declare 68
 * responses but only 7 distinct schemas (most are the shared error body), and compiling them is the largest
 * cost of start-up after loading the code. Serializers are pure functions of the schema and the shared
 * schemas, which together make the cache key, so a shared one behaves exactly like its copies.
 */
export function sharedSerializerFactory(): SerializerFactory {
  const build = SerializerSelector();
  const built = new Map<string, Serializer>();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    const context = JSON.stringify([externalSchemas, options]);
    return (route) => {
      const key = `${context}${JSON.stringify(route.schema)}`;
      let serializer = built.get(key);
      if (!serializer) {
        serializer = compile(route);
        built.set(key, serializer);
      }
      return serializer;
    };
  };
}
