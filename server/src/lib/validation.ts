// Input validation. JSON bodies are checked as sent (a number is not a string), while query
// strings and path parameters, which are text on the wire, are coerced ("?flat=x" → ["x"]).
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

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

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv(false)
  const textual = makeAjv('array')
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : textual).compile(schema as object)
}
