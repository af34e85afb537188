// The shapes the Palier HTTP API (/api/v1) sends and receives. Times are ms since the epoch.

export type Role = 'caretaker' | 'resident'

export interface FlatRef {
  id: string
  label: string
  entrance: string
  floor: string
  door: string
}

/** The signed-in person. */
export interface Me {
  id: string
  login: string
  displayName: string
  role: Role
  flat: FlatRef | null
}

export interface Info {
  buildingName: string
  setupNeeded: boolean
  version: string
}

export interface Flat extends FlatRef {
  createdAt: number
  revokedAt: number | null
  residentCount: number
  activeInviteCount: number
}

export interface Invite {
  id: string
  flatId: string
  code: string
  createdAt: number
  expiresAt: number
  revokedAt: number | null
}

export interface Resident {
  id: string
  login: string
  displayName: string
  flatId: string
  flatLabel: string
  createdAt: number
  revokedAt: number | null
}

export interface ResetCode {
  code: string
  expiresAt: number
}

export interface NewAccount {
  code: string
  login: string
  displayName: string
  password: string
}

export interface NewFlat {
  label: string
  entrance?: string
  floor?: string
  door?: string
}

export interface ImportResult {
  created: number
  flats: Flat[]
}
