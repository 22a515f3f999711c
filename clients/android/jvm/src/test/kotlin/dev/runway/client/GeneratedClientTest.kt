package dev.runway.client

import dev.runway.client.api.AuthApi
import dev.runway.client.api.ImportsApi
import dev.runway.client.model.CreateImportRequest
import dev.runway.client.model.ErrorCode
import dev.runway.client.model.Import
import dev.runway.client.model.ImportItemInput
import dev.runway.client.model.ImportStatus
import dev.runway.client.model.RegisterRequest
import dev.runway.client.model.User
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.SerializationException
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import okhttp3.MediaType.Companion.toMediaType
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import retrofit2.Retrofit
import retrofit2.converter.kotlinx.serialization.asConverterFactory

/** The generated models and interfaces against the JSON and HTTP shapes the server uses. */
class GeneratedClientTest {
    private val server = MockWebServer()

    private val importJson =
        """{"id":"6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11","status":"%s","source":"android-contacts",""" +
            """"totalItems":3,"validItems":2,"invalidItems":1,"duplicateItems":0,"matchedItems":1,"attempts":1,""" +
            """"error":null,"createdAt":"2026-11-26T10:00:00.000Z","startedAt":null,"completedAt":null%s}"""

    private fun retrofit(): Retrofit =
        Retrofit.Builder()
            .baseUrl(server.url("/v1/"))
            .addConverterFactory(ApiJson.asConverterFactory("application/json".toMediaType()))
            .build()

    @BeforeEach
    fun start() = server.start()

    @AfterEach
    fun stop() = server.close()

    @Test
    fun `an enum value added after generation decodes to UNKNOWN and unknown fields are ignored`() {
        val import = ApiJson.decodeFromString(Import.serializer(), importJson.format("archived", ""","retention":"30d""""))
        assertEquals(ImportStatus.UNKNOWN, import.status)
        assertEquals(ImportStatus.COMPLETED, ApiJson.decodeFromString(Import.serializer(), importJson.format("completed", "")).status)
        assertThrows(SerializationException::class.java) { ApiJson.encodeToString(ImportStatus.serializer(), ImportStatus.UNKNOWN) }
    }

    @Test
    fun `required nullable fields must be present, optional ones may be absent`() {
        val withoutDisplayName =
            """{"id":"6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11","email":"j@example.com","roles":["user"],"createdAt":"2026-11-26T10:00:00.000Z"}"""
        assertThrows(SerializationException::class.java) { ApiJson.decodeFromString(User.serializer(), withoutDisplayName) }
        val user = ApiJson.decodeFromString(User.serializer(), withoutDisplayName.replace("{\"id\"", "{\"displayName\":null,\"id\""))
        assertNull(user.displayName)

        assertEquals(
            """{"email":"j@example.com","password":"pw"}""",
            ApiJson.encodeToString(RegisterRequest.serializer(), RegisterRequest("j@example.com", "pw")),
        )
    }

    @Test
    fun `the error envelope is parsed from an error body, and anything else gives null`() {
        val error = parseApiError("""{"code":"EMAIL_TAKEN","message":"taken","requestId":"r1"}""")
        assertEquals(ErrorCode.EMAIL_TAKEN, error?.code)
        assertEquals(ErrorCode.UNKNOWN, parseApiError("""{"code":"NEW_CODE","message":"m","requestId":"r"}""")?.code)
        assertNull(parseApiError("<html>502 Bad Gateway</html>"))

        server.enqueue(MockResponse.Builder().code(409).body("""{"code":"EMAIL_TAKEN","message":"taken","requestId":"r9"}""").build())
        val response = runBlocking { retrofit().create(AuthApi::class.java).register(RegisterRequest("j@example.com", "pw")) }
        assertEquals("r9", response.apiError()?.requestId)
    }

    @Test
    fun `interfaces send relative paths, query, path, header and body parameters`() {
        val imports = retrofit().create(ImportsApi::class.java)
        server.enqueue(MockResponse.Builder().code(200).body("""{"items":[],"nextCursor":null}""").build())
        server.enqueue(MockResponse.Builder().code(202).body("""{"import":${importJson.format("queued", "")}}""").build())
        server.enqueue(MockResponse.Builder().code(204).build())

        val page = runBlocking { imports.listImports(limit = 2, status = ImportStatus.COMPLETED, xRequestId = "req-1") }
        assertEquals(0, page.body()?.items?.size)
        val list = server.takeRequest()
        assertEquals("/v1/imports?limit=2&status=completed", list.target)
        assertEquals("req-1", list.headers["X-Request-ID"])

        val body = CreateImportRequest("android-contacts", items = listOf(ImportItemInput(email = "a@example.com")))
        val created = runBlocking { imports.createImport(body, idempotencyKey = "key-1") }
        assertEquals(202, created.code())
        assertEquals(ImportStatus.QUEUED, created.body()?.import?.status)
        val create = server.takeRequest()
        assertEquals("POST", create.method)
        assertEquals("/v1/imports", create.target)
        assertEquals("key-1", create.headers["Idempotency-Key"])
        assertNull(create.headers["X-Request-ID"], "a null header is not sent")
        assertEquals("""{"source":"android-contacts","items":[{"email":"a@example.com"}]}""", create.body?.utf8())

        val deleted: retrofit2.Response<Unit> = runBlocking { imports.deleteImport("6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11") }
        assertEquals(204, deleted.code())
        assertEquals("/v1/imports/6f1c1c0e-5a9b-4c1e-9f0e-2d0a4b8c9e11", server.takeRequest().target)
    }

    @Test
    fun `an enum's fallback is refused as a query value instead of being sent as an empty string`() {
        val withFactory =
            Retrofit.Builder()
                .baseUrl(server.url("/v1/"))
                .addConverterFactory(ApiJson.asConverterFactory("application/json".toMediaType()))
                .addConverterFactory(WireEnumConverterFactory)
                .build()
                .create(ImportsApi::class.java)
        val error = assertThrows(IllegalArgumentException::class.java) { runBlocking { withFactory.listImports(status = ImportStatus.UNKNOWN) } }
        assertTrue(error.message!!.contains("ImportStatus.UNKNOWN"), error.message)
        assertEquals(0, server.requestCount, "nothing was sent")

        server.enqueue(MockResponse.Builder().code(200).body("""{"items":[],"nextCursor":null}""").build())
        runBlocking { withFactory.listImports(status = ImportStatus.FAILED) }
        assertEquals("/v1/imports?status=failed", server.takeRequest().target)
    }
}
