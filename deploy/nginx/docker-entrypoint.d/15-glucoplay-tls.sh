#!/bin/sh
# Runs in the web container before nginx starts (the nginx image runs /docker-entrypoint.d/*.sh).
# nginx reads its certificate from /etc/nginx/tls/: links to Certbot's certificate for NGX_DOMAIN
# when it exists, else to a self-signed stand-in, so nginx can start (and answer Certbot's HTTP
# challenge) before the first certificate is issued. Every 12 hours it re-links and reloads nginx,
# which picks up certificates renewed by the certbot service.
# deploy/tests/deploy_test.sh runs it with TLS_DIR, LE_LIVE_ROOT and TLS_RELOAD_EVERY=off.
set -eu
live="${LE_LIVE_ROOT:-/etc/letsencrypt/live}/${NGX_DOMAIN}"
tls="${TLS_DIR:-/etc/nginx/tls}"
mkdir -p "$tls"

link_certificate() {
  if [ -f "$live/fullchain.pem" ] && [ -f "$live/privkey.pem" ]; then
    ln -sfn "$live/fullchain.pem" "$tls/fullchain.pem"
    ln -sfn "$live/privkey.pem" "$tls/privkey.pem"
  else
    if [ ! -f "$tls/selfsigned.pem" ]; then
      echo "15-glucoplay-tls: no certificate for ${NGX_DOMAIN} yet; using a self-signed stand-in"
      openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=${NGX_DOMAIN}" \
        -keyout "$tls/selfsigned.key" -out "$tls/selfsigned.pem" 2>/dev/null
    fi
    ln -sfn "$tls/selfsigned.pem" "$tls/fullchain.pem"
    ln -sfn "$tls/selfsigned.key" "$tls/privkey.pem"
  fi
}

link_certificate
every="${TLS_RELOAD_EVERY:-12h}"
if [ "$every" != off ]; then
  (
    while :; do
      sleep "$every"
      link_certificate
      nginx -s reload
    done
  ) &
fi
