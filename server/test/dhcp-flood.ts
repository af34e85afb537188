// A DHCP flood for the tests, run inside a client namespace that has a static address:
//   node --import tsx server/test/dhcp-flood.ts discover --from 10.78.0.254 --to 10.78.0.255 --count 10000 --rate 2500
//   node --import tsx server/test/dhcp-flood.ts request --from 10.78.0.254 --to 10.78.0.255 --addresses 10.78.0.100-10.78.0.119
// "discover": BOOTP DHCPDISCOVERs from random MAC addresses (what a misbehaving device or an
// attacker sends to exhaust a server). "request": one INIT-REBOOT DHCPREQUEST per address (option
// 50, no server identifier), each from its own random MAC, which an authoritative server ACKs:
// a quick way to fill a pool. Sent from port 68 to the subnet broadcast (255.255.255.255 has no
// route inside a namespace). Prints one JSON line on stdout when a quarter is sent, and one at the end.
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'

const DISCOVER = 1
const REQUEST = 3

function ipv4Bytes(text: string): Buffer {
  const parts = text.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${text}`)
  return Buffer.from(parts)
}

function ipv4Range(text: string): Buffer[] {
  const [from, to] = text.split('-')
  if (!from || !to) throw new Error(`--addresses wants FIRST-LAST, got ${text}`)
  const start = ipv4Bytes(from).readUInt32BE(0)
  const end = ipv4Bytes(to).readUInt32BE(0)
  const out: Buffer[] = []
  for (let n = start; n <= end; n++) {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(n)
    out.push(b)
  }
  return out
}

/** A random unicast, locally administered MAC (never a real vendor's). */
function randomMac(): Buffer {
  const mac = randomBytes(6)
  mac[0] = (mac[0]! & 0xfc) | 0x02
  return mac
}

/** One BOOTREQUEST (RFC 2131 §2): fixed header, magic cookie, then options. */
function bootRequest(type: number, mac: Buffer, requested?: Buffer): Buffer {
  const packet = Buffer.alloc(300) // BOOTP's minimum size, zero-filled: no flags, no addresses
  packet[0] = 1 // op: BOOTREQUEST
  packet[1] = 1 // htype: Ethernet
  packet[2] = 6 // hlen
  randomBytes(4).copy(packet, 4) // xid
  mac.copy(packet, 28) // chaddr
  Buffer.from([99, 130, 83, 99]).copy(packet, 236) // magic cookie
  const options = [53, 1, type]
  if (requested) options.push(50, 4, ...requested)
  options.push(55, 5, 1, 3, 6, 28, 51) // parameter request list, like a real client
  options.push(255)
  Buffer.from(options).copy(packet, 240)
  return packet
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    count: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '2500' },
    addresses: { type: 'string' },
  },
})
const mode = positionals[0]
if ((mode !== 'discover' && mode !== 'request') || !values.from || !values.to || (mode === 'request' && !values.addresses)) {
  process.stderr.write('usage: dhcp-flood.ts discover|request --from ADDRESS --to BROADCAST [--count N] [--rate PER_SECOND] [--addresses FIRST-LAST]\n')
  process.exit(64)
}

const packets: Buffer[] =
  mode === 'discover'
    ? Array.from({ length: Number(values.count) }, () => bootRequest(DISCOVER, randomMac()))
    : ipv4Range(values.addresses!).map((ip) => bootRequest(REQUEST, randomMac(), ip))
const rate = Number(values.rate)

const socket = createSocket({ type: 'udp4', reuseAddr: true })
await new Promise<void>((resolve, reject) => {
  socket.once('error', reject)
  socket.bind({ address: values.from, port: 68 }, () => resolve())
})
socket.setBroadcast(true)

const started = Date.now()
let sent = 0
let failed = 0
let reported = false
const report = (event: string) => process.stdout.write(JSON.stringify({ event, mode, sent, failed, ms: Date.now() - started }) + '\n')

// Paced in 10 ms slices, so the flood lasts long enough for a real client to ask in the middle.
const perSlice = Math.max(1, Math.round(rate / 100))
while (sent + failed < packets.length) {
  const slice = packets.slice(sent + failed, sent + failed + perSlice)
  await Promise.all(
    slice.map(
      (p) =>
        new Promise<void>((resolve) =>
          socket.send(p, 67, values.to, (err) => {
            if (err) failed++
            else sent++
            resolve()
          }),
        ),
    ),
  )
  if (!reported && sent + failed >= packets.length / 4) {
    reported = true
    report('quarter')
  }
  const due = started + ((sent + failed) / rate) * 1000
  const wait = due - Date.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
}
report('done')
socket.close()
