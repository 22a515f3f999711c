package dev.runway.client.network

import dev.runway.client.model.ErrorCode
import dev.runway.client.parseApiError
import java.io.IOException
import okhttp3.Interceptor
import okhttp3.Response

/**
 * The server no longer serves this app version (426 `APP_UPGRADE_REQUIRED`): show a
 * forced-update screen with [message] and stop calling the API until the app is updated.
 *
 * An [IOException], so OkHttp and Retrofit hand it to the caller of the failed call (a suspend
 * call throws it) rather than crashing a dispatcher thread.
 */
class AppUpgradeRequiredException(
    /** The oldest version the API still serves, when the server said (it does). */
    val minAppVersion: String?,
    /** The server's stable, user-presentable text. */
    override val message: String,
    val requestId: String?,
) : IOException(message)

/**
 * Sends the app's version as `X-App-Version` on every call (a call that sets its own keeps it),
 * and turns 426 `APP_UPGRADE_REQUIRED` into [AppUpgradeRequiredException] after telling
 * [onUpgradeRequired] once per such response. Outermost in [RunwayClient], so the retry
 * standard never repeats a call the server refused for the app's version.
 */
class AppVersionInterceptor(
    private val appVersion: String,
    private val onUpgradeRequired: (AppUpgradeRequiredException) -> Unit = {},
) : Interceptor {
    init {
        require(SEMVER.matches(appVersion)) { "appVersion must be a semantic version like 2.4.1 (got $appVersion)" }
    }

    override fun intercept(chain: Interceptor.Chain): Response {
        val request = chain.request()
        val sent = if (request.header(APP_VERSION) == null) request.newBuilder().header(APP_VERSION, appVersion).build() else request
        val response = chain.proceed(sent)
        if (response.code != UPGRADE_REQUIRED) return response
        // Another 426 (HTTPS_REQUIRED, a proxy's) stays an ordinary response.
        val error = response.peekBody(MAX_ERROR_BODY).string().let(::parseApiError)
        if (error?.code != ErrorCode.APP_UPGRADE_REQUIRED) return response
        response.close()
        val upgrade = AppUpgradeRequiredException(error.minAppVersion, error.message, error.requestId)
        onUpgradeRequired(upgrade)
        throw upgrade
    }

    companion object {
        const val APP_VERSION = "X-App-Version"
        private const val UPGRADE_REQUIRED = 426
        private const val MAX_ERROR_BODY = 64L * 1024

        /** Semantic Versioning 2.0.0, as the server checks it. */
        val SEMVER =
            Regex(
                "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)" +
                    "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?" +
                    "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$",
            )
    }
}
