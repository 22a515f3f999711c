package dev.runway.client.network

/** The session's credentials: send [accessToken], spend [refreshToken] once to get the next pair. */
data class TokenPair(val accessToken: String, val refreshToken: String)

/**
 * Where the app keeps the token pair. [set] must be durable before it returns: the old refresh
 * token is spent once the server has rotated it, so a pair that is lost on process death ends
 * the session. On Android, keep it in app-private storage encrypted with a Keystore key (see
 * docs/android/networking.md).
 */
interface TokenStore {
    fun get(): TokenPair?

    fun set(tokens: TokenPair)

    fun clear()
}

/** A [TokenStore] in memory, for tests and the JVM scenarios. */
class InMemoryTokenStore(initial: TokenPair? = null) : TokenStore {
    @Volatile
    private var tokens: TokenPair? = initial

    override fun get(): TokenPair? = tokens

    override fun set(tokens: TokenPair) {
        this.tokens = tokens
    }

    override fun clear() {
        tokens = null
    }
}
