# Helpers of staging-tls.sh: certificates, the nginx configuration, the proxy-contract checks
# and the Android scenarios over https. Sourced; uses its variables (work, ports, pids).
passed=0
failed=0

step() { printf '\n--> %s\n' "$*"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # url [curl options...]
  local url="$1"
  shift
  for _ in $(seq 1 120); do
    curl -fsS "$@" -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
check() { # name expected actual
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok   $1 ($3)"
  else
    failed=$((failed + 1))
    echo "FAIL $1: expected $2, got $3"
  fi
}
header() { # name, from a curl -D dump on stdin
  tr -d '\r' | awk -v name="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' 'tolower($1) == name { print $2 }' | tail -n 1
}
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin).get('$1'))" 2>/dev/null; }

# A CA that exists only for this run, a server certificate for localhost and 127.0.0.1 signed by
# it, and a PKCS#12 trust store holding only the CA for the JVM.
make_certificates() { # dir
  local dir="$1"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Runway staging rehearsal CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth" \
    "basicConstraints=CA:FALSE" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  truststore_password="$(openssl rand -hex 16)"
  keytool -importcert -noprompt -alias runway-staging-ca -file "$dir/ca.pem" \
    -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass "$truststore_password" >/dev/null 2>&1
  openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem"
}

# The edge proxy as an operator would run it: TLS 1.2+ on one port, plain HTTP on another, both
# forwarding to the API with X-Forwarded-Proto/-Host set (overwriting whatever the client sent),
# the client appended to X-Forwarded-For, and a request id generated when the client sent none.
# X-Forwarded-Host is the public https authority, so the API's redirect targets PUBLIC_ORIGINS.
write_nginx_conf() { # dir tls_port http_port api_port proxy_addr
  local dir="$1" tls="$2" http="$3" api="$4" from="$5"
  mkdir -p "$dir/tmp" && chmod 1777 "$dir/tmp"
  cat >"$dir/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  map \$http_x_request_id \$runway_request_id {
    default \$http_x_request_id;
    "" \$request_id;
  }
  log_format runway '\$remote_addr "\$request" \$status request_id=\$runway_request_id';
  access_log $dir/access.log runway;
  client_max_body_size 6m;
  upstream runway_api { server 127.0.0.1:$api; keepalive 16; }
  server {
    listen 127.0.0.1:$tls ssl;
    listen 127.0.0.1:$http;
    server_name localhost;
    ssl_certificate $dir/server.pem;
    ssl_certificate_key $dir/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://runway_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_bind $from;
      proxy_set_header Host \$host:$tls;
      proxy_set_header X-Forwarded-Host \$host:$tls;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Request-ID \$runway_request_id;
    }
  }
}
NGINX
}

proxy_checks() {
  local tls="https://localhost:${tls_port}" http="http://localhost:${http_port}" ca=(--cacert "$work/ca.pem")
  local d="$work/headers" b="$work/body" status

  curl -sS -o /dev/null "$tls/healthz" 2>/dev/null
  check "TLS: a client without the throwaway CA refuses the certificate (curl exit 60)" 60 "$?"
  check "TLS: https GET /readyz through the proxy" 200 \
    "$(curl -sS "${ca[@]}" -o /dev/null -w '%{http_code}' "$tls/readyz")"
  curl -sS "${ca[@]}" -D "$d" -o /dev/null "$tls/v1/openapi.json"
  check "HSTS on https responses" "max-age=31536000; includeSubDomains" "$(header Strict-Transport-Security <"$d")"

  status="$(curl -sS -D "$d" -o /dev/null -w '%{http_code}' "$http/v1/me?probe=1")"
  check "plain http GET is redirected" 308 "$status"
  check "plain http GET redirects to the public https origin" "$tls/v1/me?probe=1" "$(header Location <"$d")"
  check "plain http HEAD is redirected" 308 "$(curl -sS -I -o /dev/null -w '%{http_code}' "$http/v1/me")"
  for method in POST PUT DELETE; do
    status="$(curl -sS -X "$method" -o "$b" -w '%{http_code}' "$http/v1/auth/login" \
      -H 'Content-Type: application/json' -d '{}')"
    check "plain http $method refused with 426" 426 "$status"
  done
  check "plain http refusal carries the HTTPS_REQUIRED code" HTTPS_REQUIRED "$(json_field code <"$b")"

  status="$(curl -sS -D "$d" -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "$http/v1/me")"
  check "spoofed X-Forwarded-Proto: https on plain http is overwritten by the proxy (still 308)" 308 "$status"
  curl -sS -D "$d" -o /dev/null -H 'X-Forwarded-Host: evil.example' "$http/v1/me"
  check "spoofed X-Forwarded-Host: the redirect stays on the public origin" "$tls/v1/me" "$(header Location <"$d")"
  status="$(curl -sS -D "$d" -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$http/v1/me")"
  check "a foreign Host is never a redirect target (426, no Location)" "426:" "$status:$(header Location <"$d")"
  status="$(curl -sS -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
    "http://127.0.0.1:${api_port}/v1/me")"
  check "bypassing the proxy, X-Forwarded-Proto from an untrusted address is ignored" 426 "$status"

  local email="tls-$(openssl rand -hex 4)@example.com"
  status="$(curl -sS "${ca[@]}" -o "$b" -w '%{http_code}' -X POST "$tls/v1/auth/register" \
    -H 'Content-Type: application/json; charset=UTF-8' -H 'X-Forwarded-For: 203.0.113.7' \
    -H 'X-Forwarded-Proto: http' -d "{\"email\":\"$email\",\"password\":\"tangerine-kayak-orbit-47\"}")"
  check "https POST through the proxy is served (the proxy's X-Forwarded-Proto honoured)" 201 "$status"
  local keys
  keys="$(redis-cli -u "$redis_url" --scan --pattern 'rl:ip:*' | sort | tr '\n' ' ')"
  check "client address from the proxy's X-Forwarded-For (rl:ip:127.0.0.1, not the proxy's 127.0.0.2)" yes \
    "$(grep -q 'rl:ip:127.0.0.1 ' <<<"$keys " && ! grep -q '127.0.0.2' <<<"$keys" && echo yes || echo "no: $keys")"
  check "a spoofed X-Forwarded-For entry from the client is ignored" yes \
    "$(grep -q '203.0.113.7' <<<"$keys" && echo "no: $keys" || echo yes)"

  local id="tls-rehearsal-$(openssl rand -hex 6)"
  curl -sS "${ca[@]}" -D "$d" -o /dev/null -H "X-Request-ID: $id" "$tls/v1/me"
  check "the client's X-Request-ID comes back through the proxy" "$id" "$(header X-Request-ID <"$d")"
  check "the API logged the client's request id" yes \
    "$(grep -q "\"requestId\":\"$id\"" "$work/api.log" && echo yes || echo no)"
  curl -sS "${ca[@]}" -D "$d" -o /dev/null "$tls/v1/me"
  id="$(header X-Request-ID <"$d")"
  check "without one, the proxy's generated request id reaches the API and the client" yes \
    "$([[ "$id" =~ ^[0-9a-f]{32}$ ]] && grep -q "request_id=$id" "$work/access.log" &&
      grep -q "\"requestId\":\"$id\"" "$work/api.log" && echo yes || echo "no: '$id'")"
  status="$(curl -sS -D "$d" -o "$b" -w '%{http_code}' -X POST -H "X-Request-ID: $id-426" "$http/v1/auth/login")"
  check "a plain-http refusal carries the request id in header and body" "$id-426 $id-426" \
    "$(header X-Request-ID <"$d") $(json_field requestId <"$b")"
}

android_scenarios() {
  local reports=clients/android/jvm/target/surefire-reports
  rm -rf "$reports"
  (cd clients/android/jvm && mvn -B --no-transfer-progress test -Dtest=StagingScenariosE2ETest \
    -Dsurefire.failIfNoSpecifiedTests=false \
    -Drunway.baseUrl="https://localhost:${tls_port}/v1/" -Drunway.refreshReuseIntervalSeconds=1 \
    -Drunway.minAppVersion="$min_app_version" \
    -DargLine="-Djavax.net.ssl.trustStore=$work/truststore.p12 -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=$truststore_password") \
    >"$work/mvn.log" 2>&1
  local mvn_status=$?
  grep -E "BUILD (SUCCESS|FAILURE)" "$work/mvn.log"
  local counts
  counts="$(python3 - "$reports/TEST-dev.runway.client.StagingScenariosE2ETest.xml" <<'PY'
import os, sys, xml.etree.ElementTree as ET
path = sys.argv[1]
if not os.path.exists(path):
    print("FAIL StagingScenariosE2ETest over https: no report", file=sys.stderr)
    print(0, 1)
    sys.exit()
cases = list(ET.parse(path).getroot().iter("testcase"))
passed = failed = 0
for case in cases:
    bad = any(case.find(tag) is not None for tag in ("failure", "error", "skipped"))
    print(f"{'FAIL' if bad else 'ok  '} https scenario: {case.get('name')} ({case.get('time')} s)", file=sys.stderr)
    failed += bad
    passed += not bad
if len(cases) < 9:
    print(f"FAIL only {len(cases)} scenarios ran over https (expected at least 9)", file=sys.stderr)
    failed += 1
print(passed, failed)
PY
)"
  local proxied
  proxied="$(grep -c '"[A-Z]* /v1/' "$work/access.log")"
  check "the scenarios' requests went through the TLS proxy (over 50 /v1 requests in its log)" yes \
    "$([ "$proxied" -gt 50 ] && echo yes || echo "no: $proxied")"
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
  if [ "$mvn_status" -ne 0 ]; then
    grep -A12 -E "<<< (FAILURE|ERROR)!$|COMPILATION ERROR|Could not resolve" "$work/mvn.log" | head -60
    [ "${counts#* }" -gt 0 ] || failed=$((failed + 1))
  fi
}
