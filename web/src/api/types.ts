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

// Notice board (issue 3)

export type NoticeKind = 'urgent' | 'works' | 'info' | 'event'
export type NoticeOrigin = 'caretaker' | 'landlord' | 'resident'
export type NoticeStatus = 'published' | 'pending' | 'rejected' | 'archived'
export type ReactionKind = 'going' | 'thanks'
export type ResidentPosting = 'off' | 'approval' | 'free'

export interface NoticeImage {
  id: string
  url: string
  width?: number | null
  height?: number | null
  mime: string
}

export interface Notice {
  id: string
  kind: NoticeKind
  title: string
  /** What the author typed (the small formatting subset). */
  body: string
  /** The body as HTML, made safe by the server: the only HTML the app ever inserts as such. */
  bodyHtml: string
  origin: NoticeOrigin
  /** null for the landlord's notices. */
  author: { displayName: string } | null
  status: NoticeStatus
  pinned: boolean
  startsAt: number
  expiresAt: number | null
  /** Entrances it is meant for; empty for the whole building. */
  audience: string[]
  images: NoticeImage[]
  going: number
  thanks: number
  myReactions: ReactionKind[]
  commentsAllowed: boolean
  createdAt: number
  updatedAt: number
}

export interface NoticePage {
  notices: Notice[]
  nextCursor: string | null
}

/** A notice as the board lists it: everything but the source text (the HTML is what shows). */
export type BoardNotice = Omit<Notice, 'body'>

/** A page of the board; `savedAt` is set when the service worker answered from its copy (offline). */
export interface BoardPage {
  notices: BoardNotice[]
  nextCursor: string | null
  savedAt: number | null
}

export interface NewNotice {
  kind: NoticeKind
  title: string
  body: string
  pinned?: boolean
  startsAt?: number
  expiresAt?: number | null
  audience?: string[]
}

export interface Reactions {
  going: number
  thanks: number
  myReactions: ReactionKind[]
}

/** Read figures: counted per household, never per person. */
export interface NoticeStats {
  households: number
  totalHouseholds: number
}

export interface NoticeSettings {
  residentPosting: ResidentPosting
}

// Incident reports (issue 3)

export type IncidentCategory =
  | 'lift'
  | 'heating'
  | 'hot_water'
  | 'leak'
  | 'electricity'
  | 'doors_intercom'
  | 'cleanliness'
  | 'pests'
  | 'other'
export type PlaceKind = 'entrance' | 'floor' | 'common' | 'flat'
export type IncidentStatus = 'new' | 'acknowledged' | 'in_progress' | 'resolved' | 'closed'

export interface Place {
  kind: PlaceKind
  /** "Entrée A", "3e étage", "Local vélos"; empty inside a flat. */
  detail: string
}

export interface IncidentSummary {
  id: string
  category: IncidentCategory
  place: Place
  description: string
  photo: { id: string; url: string } | null
  status: IncidentStatus
  /** Inside a flat: only that flat and the caretaker see it. */
  private: boolean
  /** Households that said they are affected (the reporter's included). */
  affectedCount: number
  iAmAffected: boolean
  iReported: boolean
  awaitingMyConfirmation: boolean
  mergedInto: string | null
  createdAt: number
  updatedAt: number
}

export type TimelineKind = 'reported' | 'affected' | 'status' | 'message' | 'confirmed' | 'reopened' | 'merged'

export interface TimelineEntry {
  id: string
  at: number
  kind: TimelineKind
  status?: IncidentStatus
  message?: string
  by: 'resident' | 'caretaker' | 'landlord'
}

export interface Incident extends IncidentSummary {
  timeline: TimelineEntry[]
}

export interface NewIncident {
  category: IncidentCategory
  place: Place
  description: string
  contactOk?: boolean
}

export interface Affected {
  affectedCount: number
  iAmAffected: boolean
}

// Shared storage (issue 4)

export type FileSpace = 'library' | 'household' | 'shared'

/** A file or a folder, as the signed-in person sees it. Sizes in bytes. */
export interface FileItem {
  id: string
  kind: 'folder' | 'file'
  space: FileSpace
  parentId: string | null
  name: string
  /** 0 for folders. */
  size: number
  /** Decided by the box from the content; null for folders. */
  mime: string | null
  hasPreview: boolean
  owner: { name: string; flatLabel: string | null }
  mine: boolean
  /** Whether this person may rename, move or delete it. */
  canChange: boolean
  createdAt: number
  updatedAt: number
  trashedAt: number | null
  /** When it leaves the trash for good. */
  purgeAt: number | null
}

export interface FolderRef {
  id: string
  name: string
}

export interface FileLimits {
  maxFileBytes: number
  /** null for the caretaker, whose files count against no household. */
  quotaBytes: number | null
  usedBytes: number | null
  leftBytes: number | null
  /** false when the box's disk is under its reserve: reading still works. */
  uploadsOpen: boolean
}

export interface FileSpaces {
  spaces: { space: FileSpace; writable: boolean }[]
  limits: FileLimits
}

export interface FileListing {
  space: FileSpace
  folder: FolderRef | null
  path: FolderRef[]
  items: FileItem[]
  next: string | null
}

export interface FileUsage {
  disk: { totalBytes: number; freeBytes: number; reserveBytes: number }
  library: { usedBytes: number; files: number }
  shared: { usedBytes: number; files: number }
  households: { flatId: string; label: string; usedBytes: number; quotaBytes: number; files: number }[]
}
