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

// Neighbour exchange, the residents' side (issue 5)

export type ExchangeDirection = 'offer' | 'request'
export type ExchangeKind = 'lend' | 'give' | 'help' | 'swap'
export type ExchangeCategory =
  | 'tools'
  | 'home'
  | 'kids'
  | 'books_media'
  | 'clothes'
  | 'food'
  | 'lessons'
  | 'repairs'
  | 'garden'
  | 'transport'
  | 'care'
  | 'other'
export type ListingStatus = 'open' | 'reserved' | 'done' | 'withdrawn'
export type ListingSort = 'newest' | 'closing'

/** A household (flat) as the exchange shows it: its label and a person's name. */
export interface HouseholdRef {
  id: string
  label: string
  name: string
}

export interface ListingPhoto {
  id: string
  url: string
}

export interface ListingSummary {
  id: string
  direction: ExchangeDirection
  kind: ExchangeKind
  category: ExchangeCategory
  title: string
  /** The first 200 characters of the description. */
  excerpt: string
  availability: string
  status: ListingStatus
  household: HouseholdRef
  /** Published by the caretaker for this household. */
  onBehalf: boolean
  photo: ListingPhoto | null
  /** The viewer's household wrote it. */
  mine: boolean
  expired: boolean
  /** Hidden after reports until the caretaker reviews it. */
  hidden: boolean
  createdAt: number
  expiresAt: number
}

export interface Listing extends ListingSummary {
  description: string
  photos: ListingPhoto[]
  /** The viewer's household's conversation about it, if any. */
  conversationId: string | null
}

export interface ListingPage {
  items: ListingSummary[]
  nextCursor: string | null
}

export interface ListingSearch {
  q?: string
  direction?: ExchangeDirection | ''
  kind?: ExchangeKind | ''
  category?: ExchangeCategory | ''
  sort?: ListingSort
  cursor?: string | null
  limit?: number
}

export interface NewListing {
  direction: ExchangeDirection
  kind: ExchangeKind
  category: ExchangeCategory
  title: string
  description: string
  availability: string
  expiresInDays?: number
}

export interface ListingChange {
  title?: string
  description?: string
  availability?: string
  category?: ExchangeCategory
  status?: ListingStatus
}

export interface ExchangeSummary {
  unreadConversations: number
  expiredListings: ListingSummary[]
  loansDueTomorrow: number
  lateLoans: number
  loansToConfirm: number
  transfersToConfirm: number
  timeBankEnabled: boolean
}

export interface ExchangeMessage {
  id: string
  conversationId: string
  /** Who wrote, with the name of the person who did. */
  household: HouseholdRef
  /** Written by the viewer's household. */
  mine: boolean
  onBehalf: boolean
  /** Empty when the caretaker removed the message after a report (`removed`). */
  body: string
  removed: boolean
  createdAt: number
}

/** The listing in a line of the conversations list. */
export interface ListingBrief {
  id: string
  direction: ExchangeDirection
  kind: ExchangeKind
  category: string
  title: string
  status: ListingStatus
  expired: boolean
  mine: boolean
}

export interface ConversationSummary {
  id: string
  listing: ListingBrief
  ownListing: boolean
  /** The other household. */
  household: HouseholdRef
  lastMessage: { excerpt: string; mine: boolean; removed: boolean; at: number } | null
  unread: number
  createdAt: number
}

export interface Conversation {
  id: string
  listingId: string
  /** The viewer's household posted the listing (the other one answered it). */
  ownListing: boolean
  /** The other household. */
  household: HouseholdRef
  createdAt: number
  lastMessageAt: number | null
}

/** The listing at the head of a conversation, as both households see it. */
export interface ConversationListing {
  id: string
  direction: ExchangeDirection
  kind: ExchangeKind
  category: string
  title: string
  description: string
  availability: string
  status: ListingStatus
  expiresAt: number
  expired: boolean
  mine: boolean
  household: HouseholdRef
  onBehalf: boolean
  photos: ListingPhoto[]
}

export interface ConversationThread {
  conversation: Conversation
  listing: ConversationListing
  /** Oldest first. */
  messages: ExchangeMessage[]
}

export type LoanStatus = 'proposed' | 'active' | 'returned' | 'cancelled'

export interface Loan {
  id: string
  listingId: string
  listingTitle: string
  conversationId: string | null
  lender: HouseholdRef
  borrower: HouseholdRef
  item: string
  dueAt: number
  status: LoanStatus
  /** Active and past its due time (shown to the two households only). */
  late: boolean
  /** Active and due the next calendar day: the day-before reminder. */
  dueTomorrow: boolean
  /** The viewer's household's side. */
  side: 'lender' | 'borrower'
  createdAt: number
  confirmedAt: number | null
  returnedAt: number | null
}

export interface Loans {
  lent: Loan[]
  borrowed: Loan[]
}

export interface HouseholdProfile {
  household: HouseholdRef
  thanksReceived: number
  /** Words of the last thanks, newest first (never who said them). */
  recentThanks: { word: string; at: number }[]
  /** Its listings open or reserved now, newest first. */
  openListings: ListingSummary[]
}

// Neighbour exchange: the time bank and the caretaker's moderation (issue 5)

export interface ExchangeSettings {
  timeBankEnabled: boolean
  /** ≤ 0: how far below zero a household may go. */
  minBalanceMinutes: number
  /** ≥ 0. */
  maxBalanceMinutes: number
  /** Distinct households whose reports hide a listing until reviewed. */
  reportThreshold: number
}

export type TransferStatus = 'pending' | 'applied' | 'declined' | 'cancelled'

export interface Transfer {
  id: string
  payer: HouseholdRef
  payee: HouseholdRef
  /** The household that asked for it (the payer, for a payment). */
  requestedBy: string
  minutes: number
  memo: string
  listingId: string | null
  status: TransferStatus
  createdAt: number
  settledAt: number | null
}

/** One line of a household's own ledger: minutes in (> 0) or out (< 0). */
export interface LedgerEntry {
  transferId: string
  minutes: number
  balanceAfter: number
  other: HouseholdRef
  memo: string
  createdAt: number
}

export interface TimeBank {
  enabled: boolean
  minBalanceMinutes: number
  maxBalanceMinutes: number
  balanceMinutes: number
  entries: LedgerEntry[]
  pending: Transfer[]
}

export interface NewTransfer {
  idempotencyKey: string
  direction: 'pay' | 'request'
  toFlatId: string
  minutes: number
  memo: string
  listingId?: string
}

export type ReportTargetKind = 'listing' | 'message'
export type ReportResolution = 'kept' | 'removed'

/** Open reports of one listing or message, as the caretaker's queue shows them. */
export interface ReportGroup {
  targetKind: ReportTargetKind
  targetId: string
  /** Households that reported it. */
  count: number
  reasons: string[]
  firstReportedAt: number
  lastReportedAt: number
  listing?: {
    id: string
    direction: ExchangeDirection
    kind: string
    category: string
    title: string
    description: string
    status: string
    household: HouseholdRef
    onBehalf: boolean
    hidden: boolean
    createdAt: number
  }
  /** The reported message alone, never the rest of its conversation. */
  message?: { id: string; body: string; household: HouseholdRef; onBehalf: boolean; createdAt: number }
}

// Captive network, the caretaker's console (issue 6; server/src/features/network/network-schema.ts)

export type NetworkMode = 'off' | 'gateway' | 'host'

/** A device holding an address from the box, with whether its owner tapped "Entrer". */
export interface NetworkLease {
  mac: string
  ip: string
  /** The name the device gave itself, if any. */
  hostname: string | null
  /** End of the lease (ms); null for a fixed address. */
  expiresAt: number | null
  accepted: boolean
  acceptedAt: number | null
}

/** A device that tapped "Entrer" (remembered by MAC), connected now or not. */
export interface NetworkAcceptedDevice {
  mac: string
  /** The address it had when accepted. */
  ip: string
  acceptedAt: number
  /** It holds an unexpired lease now. */
  connected: boolean
}

export interface NetworkPool {
  size: number
  used: number
  free: number
  /** used ÷ size, 0–1. */
  use: number
  /** Nearly exhausted (90 % used or fewer than 5 addresses left). */
  alert: boolean
  /** Devices with an unexpired lease (fixed addresses included). */
  devices: number
}

/** palier-net's report on a service; `fresh`: palier-net is alive and in the configured mode. */
export interface NetworkService {
  state: string
  since: number
  lastError: string | null
  fresh: boolean
}

export interface NetworkInfo {
  mode: NetworkMode
  /** The address residents open (the one in the QR code). */
  residentsUrl: string
  /** Plain addresses residents can type, the best first. */
  addresses: string[]
  boxName: string
  mdnsName: string | null
  https: { name: string; origin: string; captiveApiUrl: string } | null
  gateway: {
    interface: string
    address: string
    prefix: number
    netmask: string
    rangeStart: string
    rangeEnd: string
    leaseSeconds: number
    staticLeases: number
  } | null
  pool: NetworkPool | null
  palierNet: { present: boolean; fresh: boolean; mode: NetworkMode | null; updatedAt: number | null }
  dnsmasq: (NetworkService & { pid: number | null; restarts: number }) | null
  mdns: (NetworkService & { name: string }) | null
  leases: NetworkLease[]
  accepted: NetworkAcceptedDevice[]
}
