// Input validation and output serialisation. JSON bodies are checked as sent (a number is not a
// string), while query strings and path parameters, which are text on the wire, are coerced
// ("?flat=x" → ["x"]). Compiled functions are shared between routes with the same schema: most
// routes answer the same error body for four or five statuses, and every compiled function is
// code kept in memory on a 512 MB box.
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import fastJsonStringify from 'fast-json-stringify'
import type { FastifySchemaCompiler } from 'fastify'
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

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv(false)
  const textual = makeAjv('array')
  const body = memo((schema) => strict.compile(schema))
  const other = memo((schema) => textual.compile(schema))
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : other)(schema as object)
}

export function serializerCompiler(): FastifySerializerCompiler<unknown> {
  const compile = memo((schema) => fastJsonStringify(schema))
  return ({ schema }) => compile(schema as object)
}
