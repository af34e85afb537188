// The privileged helper's whole vocabulary: one typed request per action. Nothing here carries a
// path, a command or free-form options — the helper decides where files go and what runs, so a
// caller (palier-net, unprivileged) can only pick an action and fill in checked values.
// Data only (frozen to JSON at build time, like every *schema.ts module).
import { Type, type Static } from 'typebox'

/** Longest request line the helper reads; a publish request is well under 400 bytes. */
export const MAX_REQUEST_BYTES = 4096

const Port = Type.Integer({ minimum: 1, maximum: 65535 })

export const MdnsPublishSchema = Type.Object(
  {
    action: Type.Literal('mdns.publish'),
    /** The mDNS host name without `.local`: one DNS label, lower case. */
    hostName: Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' }),
    /** The DNS-SD instance name residents see (the building's name): printable, no control characters. */
    instanceName: Type.String({ minLength: 1, maxLength: 63, pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f]+$' }),
    httpPort: Port,
    /** Also announce `_https._tcp` on this port; null without HTTPS. */
    httpsPort: Type.Union([Port, Type.Null()]),
  },
  { additionalProperties: false },
)

export const MdnsUnpublishSchema = Type.Object({ action: Type.Literal('mdns.unpublish') }, { additionalProperties: false })

export const StatusSchema = Type.Object({ action: Type.Literal('status') }, { additionalProperties: false })

/** Every request the helper accepts, by its `action`. */
export const ActionSchemas = {
  'mdns.publish': MdnsPublishSchema,
  'mdns.unpublish': MdnsUnpublishSchema,
  status: StatusSchema,
}

export const HelperRequestSchema = Type.Union([MdnsPublishSchema, MdnsUnpublishSchema, StatusSchema])

export type MdnsPublishRequest = Static<typeof MdnsPublishSchema>
export type HelperRequest = Static<typeof HelperRequestSchema>
export type HelperAction = HelperRequest['action']

/** One answer line: `ok` with the action's results, or a refusal or failure with a reason. */
export type HelperAnswer = { ok: true; action: HelperAction; [key: string]: unknown } | { ok: false; error: string }
