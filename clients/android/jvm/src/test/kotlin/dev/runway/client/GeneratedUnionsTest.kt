package dev.runway.client

import dev.runway.fixture.ApiJson as FixtureJson
import dev.runway.fixture.RunwayApi as FixtureApi
import dev.runway.fixture.model.Circle
import dev.runway.fixture.model.Drawing
import dev.runway.fixture.model.Shape
import dev.runway.fixture.model.Square
import kotlin.time.Instant
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.SerializationException
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import okhttp3.OkHttpClient
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * The discriminated union of packages/retrofit-codegen/fixtures/shapes.openapi.json, generated
 * into src/test/generated (checked for drift by tooling/scripts/android-e2e.sh), over real HTTP.
 */
class GeneratedUnionsTest {
    private val server = MockWebServer()

    @BeforeEach
    fun start() = server.start()

    @AfterEach
    fun stop() = server.close()

    @Test
    fun `a oneOf with a discriminator is a sealed interface, sent and received as its variants`() {
        val drawing = Drawing(listOf(Circle("circle", 1.5), Square("square", 2.0, Instant.parse("2026-11-26T10:00:00Z"))))
        val answer =
            """{"shapes":[{"kind":"square","side":3.0,"seenAt":"2026-11-26T10:00:00.000Z"},{"kind":"circle","radius":0.5}],""" +
                """"highlight":{"kind":"circle","radius":0.5}}"""
        server.enqueue(MockResponse.Builder().code(201).addHeader("Content-Type", "application/json").body(answer).build())

        val created = runBlocking { FixtureApi.create(server.url("/v1/").toString(), OkHttpClient()).drawings.createDrawing(drawing) }

        assertEquals(
            """{"shapes":[{"kind":"circle","radius":1.5},{"kind":"square","side":2.0,"seenAt":"2026-11-26T10:00:00Z"}]}""",
            server.takeRequest().body?.utf8(),
            "each variant carries its own discriminator",
        )
        val body = created.body()!!
        assertEquals(Square("square", 3.0, Instant.parse("2026-11-26T10:00:00Z")), body.shapes[0])
        assertEquals(Circle("circle", 0.5), body.highlight)
        val areas = body.shapes.map { shape ->
            when (shape) {
                is Circle -> Math.PI * shape.radius * shape.radius
                is Square -> shape.side * shape.side
                is Shape.Unknown -> 0.0
            }
        }
        assertEquals(9.0, areas[0])
    }

    @Test
    fun `a variant added later decodes to Unknown with its JSON, and cannot be sent back`() {
        val drawing = FixtureJson.decodeFromString(Drawing.serializer(), """{"shapes":[{"kind":"hexagon","side":1}]}""")
        val unknown = drawing.shapes.single()
        assertTrue(unknown is Shape.Unknown, "got $unknown")
        assertEquals("hexagon", (unknown as Shape.Unknown).json["kind"].toString().trim('"'))

        val error = assertThrows(SerializationException::class.java) { FixtureJson.encodeToString(Drawing.serializer(), drawing) }
        assertTrue(error.message!!.contains("Shape.Unknown"), error.message)
        assertThrows(SerializationException::class.java) {
            FixtureJson.decodeFromString(Drawing.serializer(), """{"shapes":["circle"]}""")
        }
    }
}
