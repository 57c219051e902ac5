import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Type } from '@sinclair/typebox';
import { sharedSerializerFactory } from '../../src/schemas/shared-serializer-factory';

const Problem = Type.Object({ code: Type.String(), message: Type.String() }, { $id: 'Problem' });
const external = { Problem };
const route = (url: string, httpStatus: string, schema: unknown) => ({
  method: 'GET',
  url,
  httpStatus,
  schema,
});

it('builds one serializer for a schema that many routes and status codes declare', () => {
  const factory = sharedSerializerFactory();
  const compileForUsers = factory(external, {});
  const compileForPosts = factory(external, {});

  const first = compileForUsers(route('/users/:id', '404', Type.Ref(Problem)));
  const again = compileForPosts(route('/posts/:id', '401', Type.Ref(Problem)));
  const other = compileForPosts(route('/posts/:id', '200', Type.Object({ id: Type.String() })));

  expect(again).toBe(first);
  expect(other).not.toBe(first);
});

it('serializes exactly as the default factory does, dropping undeclared fields', () => {
  const shared = sharedSerializerFactory()(external, {})(route('/a', '404', Type.Ref(Problem)));
  const fresh = SerializerSelector()(external, {})(route('/a', '404', Type.Ref(Problem)));
  const body = { code: 'not_found', message: 'no such post', secret: 'dropped' };

  expect(shared(body)).toBe(fresh(body));
  expect(JSON.parse(shared(body))).toEqual({ code: 'not_found', message: 'no such post' });
});

it('keeps serializers apart when the shared schemas they resolve against differ', () => {
  const factory = sharedSerializerFactory();
  const Wider = Type.Object({ code: Type.String(), detail: Type.String() }, { $id: 'Problem' });

  const narrow = factory(external, {})(route('/a', '400', Type.Ref(Problem)));
  const wide = factory({ Problem: Wider }, {})(route('/a', '400', Type.Ref(Problem)));

  expect(wide).not.toBe(narrow);
  expect(JSON.parse(wide({ code: 'x', detail: 'y', message: 'z' }))).toEqual({ code: 'x', detail: 'y' });
});
