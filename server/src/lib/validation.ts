// Input validation and output serialisation. JSON bodies are checked as sent (a number is not a
// string), while query strings and path parameters, which are text on the wire, are coerced
// ("?flat=x" → ["x"]). Compiled functions are shared between routes with the same schema: most
// routes answer the same error body for four or five statuses, and every compiled function is
// code kept in memory on a 512 MB box.
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import fastJsonStringify from 'fast-json-stringify'
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import type { FastifySerializerCompiler } from 'fastify/types/schema.js'

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: true,
    // One error is enough to name the field; all errors would let a client make us work harder.
    allErrors: false,
    addUsedSchema: false,
    strict: false,
  })
  addFormats.default(ajv)
  return ajv
}

function memo<F>(compile: (schema: object) => F): (schema: object) => F {
  const cache = new Map<string, F>()
  return (schema) => {
    const key = JSON.stringify(schema)
    let fn = cache.get(key)
    if (!fn) cache.set(key, (fn = compile(schema)))
    return fn
  }
}

// Compiled lazily, on a route's first use: a compiled validator or serializer is generated code
// kept in memory, and most of the box's ~150 routes (the caretaker's tools, printing, the time
// bank) are not called between two restarts. Compiling them all at start-up cost megabytes of
// idle memory. A schema Ajv cannot compile still fails loudly — at the route's first request,
// and every route is requested by server/test/access.test.ts.
interface Validate {
  (data: unknown): boolean
  errors?: FastifySchemaValidationError[] | null
}

function lazyValidator(compile: () => Validate): Validate {
  let fn: Validate | undefined
  const validate: Validate = (data) => {
    fn ??= compile()
    const ok = fn(data)
    // Fastify reads the errors from the function it was given.
    validate.errors = fn.errors
    return ok
  }
  return validate
}

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  let strict: Ajv | undefined
  let textual: Ajv | undefined
  const body = memo((schema) => lazyValidator(() => (strict ??= makeAjv(false)).compile(schema) as unknown as Validate))
  const other = memo((schema) => lazyValidator(() => (textual ??= makeAjv('array')).compile(schema) as unknown as Validate))
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : other)(schema as object)
}

export function serializerCompiler(): FastifySerializerCompiler<unknown> {
  const compile = memo((schema) => {
    let fn: ((data: unknown) => string) | undefined
    return (data: unknown) => (fn ??= fastJsonStringify(schema))(data)
  })
  return ({ schema }) => compile(schema as object)
}
