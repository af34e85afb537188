// What palier-app shares with every page through @lit/context: the API client and the session.
import { createContext } from '@lit/context'
import type { ApiClient } from './api/client.js'
import type { Me } from './api/types.js'

export const apiContext = createContext<ApiClient>(Symbol('palier-api'))

/** The signed-in person and what pages can do about it. A new object whenever `me` changes. */
export interface Session {
  /** null when nobody is signed in. */
  readonly me: Me | null
  /** After setup, sign-in or join: the server answered with the new session's person. */
  signedIn(me: Me): void
  signOut(): Promise<void>
}

export const sessionContext = createContext<Session>(Symbol('palier-session'))
