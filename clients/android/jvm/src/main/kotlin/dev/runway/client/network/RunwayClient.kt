package dev.runway.client.network

import dev.runway.client.RunwayApi
import dev.runway.client.api.AdminApi
import dev.runway.client.api.AuthApi
import dev.runway.client.api.ImportsApi
import dev.runway.client.api.MeApi
import java.time.Duration
import okhttp3.Dispatcher
import okhttp3.OkHttpClient

/**
 * The generated APIs wired the way docs/android/networking.md describes: timeouts, the app's
 * version on every call, the retry standard, a bearer token from [tokens] and a single-flight
 * refresh on 401.
 *
 * @param baseUrl ends with `/v1/`, e.g. `https://api.example.com/v1/`.
 * @param appVersion the app's own version (semver, e.g. `BuildConfig.VERSION_NAME`), sent as
 * `X-App-Version`. When the server no longer serves it, every call throws
 * [AppUpgradeRequiredException] and [onUpgradeRequired] is told: show the forced-update screen.
 * @param configure adds to the authenticated client, after the retry and bearer interceptors
 * (an app adds logging here; the scenarios add fault injection).
 * @param configureRefresh adds to the client used only for refreshes.
 */
class RunwayClient(
    baseUrl: String,
    val tokens: TokenStore,
    appVersion: String,
    retryPolicy: RetryPolicy = RetryPolicy(),
    onSessionEnded: () -> Unit = {},
    onUpgradeRequired: (AppUpgradeRequiredException) -> Unit = {},
    configure: OkHttpClient.Builder.() -> Unit = {},
    configureRefresh: OkHttpClient.Builder.() -> Unit = {},
) {
    private val base: OkHttpClient =
        OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(20))
            .writeTimeout(Duration.ofSeconds(20))
            // Bounds the whole call, retries and their waits included.
            .callTimeout(Duration.ofSeconds(60))
            // OkHttp would otherwise resend a request after some connection failures, even a POST
            // without an Idempotency-Key the server may already have acted on. RetryInterceptor
            // decides what is safe to repeat.
            .retryOnConnectionFailure(false)
            // Outermost, refreshes included: a refused version is never retried or refreshed.
            .addInterceptor(AppVersionInterceptor(appVersion, onUpgradeRequired))
            .build()

    private val refreshClient: OkHttpClient =
        base.newBuilder()
            .dispatcher(Dispatcher())
            // The calls waiting for a refresh have their own 60 s: leave them time to retry.
            .callTimeout(Duration.ofSeconds(15))
            .addInterceptor(RetryInterceptor(retryPolicy))
            .apply(configureRefresh)
            .build()

    val okHttpClient: OkHttpClient =
        base.newBuilder()
            .addInterceptor(RetryInterceptor(retryPolicy))
            .addInterceptor(BearerInterceptor(tokens))
            .authenticator(
                TokenAuthenticator(tokens, ApiTokenRefresher(RunwayApi.create(baseUrl, refreshClient).auth), onSessionEnded),
            )
            .apply(configure)
            .build()

    /** The generated factory over [okHttpClient]: the Json, converters and base URL check. */
    val api: RunwayApi = RunwayApi.create(baseUrl, okHttpClient)

    val auth: AuthApi = api.auth
    val me: MeApi = api.me
    val imports: ImportsApi = api.imports
    val admin: AdminApi = api.admin
}
