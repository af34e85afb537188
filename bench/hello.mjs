// The baseline: a bare Fastify hello-world, the ceiling any Fastify app can reach on this machine.
// Run by bench/run.mjs as its own process: `HELLO_PORT=<port> node bench/hello.mjs`.
import Fastify from 'fastify'

const port = Number(process.env.HELLO_PORT ?? 0)
const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))

const close = async () => {
  await app.close()
  process.exit(0)
}
process.on('SIGTERM', () => void close())
process.on('SIGINT', () => void close())

const address = await app.listen({ port, host: '127.0.0.1' })
process.stdout.write(`hello: up on ${address}\n`)
