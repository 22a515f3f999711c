package dev.runway.client

import dev.runway.client.model.CreateImportRequest
import dev.runway.client.model.ErrorCode
import dev.runway.client.model.Import
import dev.runway.client.model.ImportItemInput
import dev.runway.client.model.LoginRequest
import dev.runway.client.model.RegisterRequest
import dev.runway.client.network.BearerInterceptor
import dev.runway.client.network.InMemoryTokenStore
import dev.runway.client.network.TokenPair
import kotlin.time.Instant
import kotlinx.coroutines.runBlocking
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import okhttp3.OkHttpClient
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** The kit's second pass: errors read twice, the public marker, Instants, typed headers, the factory. */
class GeneratedKitTest {
    private val server = MockWebServer()

    private fun api(client: OkHttpClient = OkHttpClient()) = RunwayApi.create(server.url("/v1/").toString(), client)

    private fun json(code: Int, body: String) =
        MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build()

    private val validationFailed =
        """{"code":"VALIDATION_FAILED","message":"Invalid input","requestId":"r1",""" +
            """"issues":[{"path":"password","message":"Too short"}]}"""

    private fun importJson(createdAt: String, startedAt: String) =
        """{"id":"6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11","status":"completed","source":"android-contacts",""" +
            """"totalItems":1,"validItems":1,"invalidItems":0,"duplicateItems":0,"matchedItems":0,"attempts":1,""" +
            """"error":null,"createdAt":"$createdAt","startedAt":$startedAt,"completedAt":null}"""

    @BeforeEach
    fun start() = server.start()

    @AfterEach
    fun stop() = server.close()

    @Test
    fun `apiError() can be read twice and keeps the issues`() {
        server.enqueue(json(400, validationFailed))
        val response = runBlocking { api().auth.register(RegisterRequest("j@example.com", "short")) }

        val first = response.apiError()
        val second = response.apiError()
        assertEquals(ErrorCode.VALIDATION_FAILED, first?.code)
        assertEquals("password", second?.issues?.single()?.path)
        assertSame(first, second, "parsed once, the same value every time")
    }

    @Test
    fun `apiResult folds success, an error envelope and a network failure into one value`() {
        server.enqueue(json(400, validationFailed))
        server.enqueue(MockResponse.Builder().code(204).build())
        val auth = api().auth

        val failed = runBlocking { apiResult { auth.register(RegisterRequest("j@example.com", "short")) } }
        assertTrue(failed is ApiResult.ApiError)
        failed as ApiResult.ApiError
        assertEquals("Too short", failed.error?.issues?.single()?.message)
        assertEquals(failed.error, failed.response.apiError(), "the envelope stays readable on the response")

        val done = runBlocking { apiResult { auth.logout(dev.runway.client.model.LogoutRequest("r")) } }
        assertEquals(ApiResult.Success(Unit, (done as ApiResult.Success).response), done)

        server.close() // nothing listens any more: the connection is refused
        val offline = runBlocking { apiResult { auth.login(LoginRequest("j@example.com", "pw")) } }
        assertTrue(offline is ApiResult.NetworkError, "got $offline")
    }

    @Test
    fun `a bare Retrofit sends nothing non-standard for a public operation`() {
        server.enqueue(json(401, """{"code":"INVALID_CREDENTIALS","message":"no","requestId":"r2"}"""))
        server.enqueue(json(200, """{"user":{"id":"u","email":"j@example.com","displayName":null,"roles":[],"createdAt":"2026-11-26T10:00:00.000Z"}}"""))
        val bare = api() // a plain OkHttpClient: no Runway interceptor at all

        runBlocking { bare.auth.login(LoginRequest("j@example.com", "pw")) }
        val login = server.takeRequest()
        val standard = setOf("content-type", "content-length", "host", "connection", "accept-encoding", "user-agent")
        assertEquals(standard, login.headers.names().map { it.lowercase() }.toSet())

        runBlocking { bare.me.getMe() }
        assertEquals(standard - "content-type" - "content-length", server.takeRequest().headers.names().map { it.lowercase() }.toSet())
    }

    @Test
    fun `the annotation keeps the bearer off public operations and on the others`() {
        server.enqueue(json(401, """{"code":"INVALID_CREDENTIALS","message":"no","requestId":"r3"}"""))
        server.enqueue(json(200, """{"user":{"id":"u","email":"j@example.com","displayName":null,"roles":[],"createdAt":"2026-11-26T10:00:00.000Z"}}"""))
        val client = OkHttpClient.Builder().addInterceptor(BearerInterceptor(InMemoryTokenStore(TokenPair("a1", "r1")))).build()

        runBlocking { api(client).auth.login(LoginRequest("j@example.com", "pw")) }
        assertNull(server.takeRequest().headers["Authorization"])
        val me = runBlocking { api(client).me.getMe() }
        assertEquals("Bearer a1", server.takeRequest().headers["Authorization"])
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), me.body()?.user?.createdAt)
    }

    @Test
    fun `date-times decode to Instant in the server's exact format and with offsets`() {
        val import = ApiJson.decodeFromString(Import.serializer(), importJson("2026-11-26T10:00:00.000Z", "\"2026-11-26T19:00:01.250+09:00\""))
        assertEquals(Instant.fromEpochMilliseconds(1_795_687_200_000), import.createdAt)
        assertEquals(Instant.parse("2026-11-26T10:00:01.250Z"), import.startedAt)
        assertNull(import.completedAt)
        assertTrue(import.createdAt < import.startedAt!!)

        val roundTrip = ApiJson.decodeFromString(Import.serializer(), ApiJson.encodeToString(Import.serializer(), import))
        assertEquals(import, roundTrip)
        assertThrows(IllegalArgumentException::class.java) {
            ApiJson.decodeFromString(Import.serializer(), importJson("26/11/2026", "null"))
        }
    }

    @Test
    fun `declared response headers are typed, and unreadable ones are null`() {
        server.enqueue(
            json(429, """{"code":"RATE_LIMITED","message":"slow down","requestId":"r4"}""").newBuilder()
                .addHeader("X-Request-ID", "r4").addHeader("Retry-After", "30")
                .addHeader("RateLimit-Limit", "10").addHeader("RateLimit-Remaining", "0").addHeader("RateLimit-Reset", "30")
                .build(),
        )
        server.enqueue(
            json(202, """{"import":${importJson("2026-11-26T10:00:00.000Z", "null")}}""").newBuilder()
                .addHeader("Idempotent-Replayed", "true").addHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT").build(),
        )
        val imports = api().imports
        val body = CreateImportRequest("android-contacts", items = listOf(ImportItemInput(email = "a@example.com")))

        val limited = runBlocking { imports.createImport(body, idempotencyKey = "k1") }.apiHeaders
        assertEquals("r4", limited.xRequestId)
        assertEquals(30L, limited.retryAfter)
        assertEquals(10L, limited.rateLimitLimit)
        assertEquals(0L, limited.rateLimitRemaining)
        assertEquals(30L, limited.rateLimitReset)
        assertNull(limited.idempotentReplayed)

        val replayed = runBlocking { imports.createImport(body, idempotencyKey = "k1") }.apiHeaders
        assertEquals(true, replayed.idempotentReplayed)
        assertNull(replayed.retryAfter, "not the declared integer form")
        assertFalse(replayed.headers.names().isEmpty())
    }

    @Test
    fun `the factory refuses a base URL the relative paths would escape`() {
        val error = assertThrows(IllegalArgumentException::class.java) { RunwayApi.create("https://api.example.com/v1", OkHttpClient()) }
        assertTrue(error.message!!.contains("/v1/"), error.message)
    }
}
