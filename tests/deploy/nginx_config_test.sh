#!/bin/sh
# `nginx -t` on the deploy/nginx sites, each inside a minimal nginx.conf, with a throw-away
# certificate in place of the Let's Encrypt paths. Usage: nginx_config_test.sh <deploy dir>
set -eu
deploy=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 \
  -subj /CN=mcp.example.com >/dev/null 2>&1
for site in appsignals-mcp.conf appsignals-mcp-cluster.conf; do
  sed -e "s|/etc/letsencrypt/live/mcp.example.com/fullchain.pem|$tmp/cert.pem|" \
      -e "s|/etc/letsencrypt/live/mcp.example.com/privkey.pem|$tmp/key.pem|" \
      -e "s|/var/log/nginx/|$tmp/|" "$deploy/nginx/$site" > "$tmp/site.conf"
  cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $tmp/body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  include $tmp/site.conf;
}
CONF
  if ! out=$(nginx -t -e "$tmp/error.log" -p "$tmp" -c "$tmp/nginx.conf" 2>&1); then
    echo "nginx -t failed for $site:"
    echo "$out"
    exit 1
  fi
  echo "ok: $site"
done
