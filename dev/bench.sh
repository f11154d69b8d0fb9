#!/usr/bin/env bash
# pw_helpdesk development bench: services, bench build, site bring-up and the whole test suite.
#
#   dev/bench.sh up        # services + bench + site pw.localhost with demo data, then web/workers/scheduler
#   dev/bench.sh test      # every test: pytest units, Frappe tests on a fresh site, end-to-end tests
#   dev/bench.sh build     # build the bench at $FRAPPE_BENCH when it is missing
#   dev/bench.sh services  # MariaDB + Redis (cache, queue), started without systemd
#   dev/bench.sh stop      # stop what `up` started
#   dev/bench.sh frappe --site SITE ...   # the `bench --site SITE ...` of a normal bench (works as root)
#
# Environment (all optional):
#   FRAPPE_BENCH      bench folder                       (default ~/frappe-bench)
#   FRAPPE_SRC        frappe git URL or local path       (default https://github.com/frappe/frappe)
#   FRAPPE_BRANCH     branch/tag/commit of FRAPPE_SRC    (default version-15; ignored for a non-git path)
#   ERPNEXT_SRC       erpnext git URL or local path      (default https://github.com/frappe/erpnext)
#   ERPNEXT_BRANCH    branch/tag/commit of ERPNEXT_SRC   (default version-15)
#   AIR_DATEPICKER_SRC  local clone of frappe/air-datepicker (commit ed37b94) for offline yarn installs
#   SITE              site of `up`                       (default pw.localhost)
#   DB_ROOT_PASSWORD  MariaDB root password              (default admin)
#   WEB_PORT          web port of `up`                   (default 8000)
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${FRAPPE_BENCH:-$HOME/frappe-bench}"
FRAPPE_SRC="${FRAPPE_SRC:-https://github.com/frappe/frappe}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
ERPNEXT_SRC="${ERPNEXT_SRC:-https://github.com/frappe/erpnext}"
ERPNEXT_BRANCH="${ERPNEXT_BRANCH:-version-15}"
SITE="${SITE:-pw.localhost}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-admin}"
WEB_PORT="${WEB_PORT:-8000}"
PYTHON="${PYTHON:-python3}"
REDIS_CACHE_PORT=13000
REDIS_QUEUE_PORT=11000
TEMPLATE_DIR="$BENCH/.pw_templates"

die() {
	echo "dev/bench.sh: $*" >&2
	exit 1
}
say() { echo "==> $*" >&2; }
need_root_or_sudo() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------------------------------------- services

ensure_packages() {
	local missing=()
	# A server already listening (a CI service container, say) is used as it is.
	if ! (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; then
		command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 || missing+=(mariadb-server)
	fi
	command -v mysql >/dev/null 2>&1 || missing+=(mariadb-client)
	command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
	[ -e /usr/include/mariadb/mysql.h ] || missing+=(libmariadb-dev pkg-config)
	command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-imapd)
	command -v chromium >/dev/null 2>&1 || missing+=(chromium)
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing Debian packages: ${missing[*]}"
		need_root_or_sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive need_root_or_sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
			die "apt-get install ${missing[*]} failed; install them by hand and run again"
	fi
}

mariadb_conf() {
	local conf=/etc/mysql/mariadb.conf.d/99-frappe.cnf
	[ -f "$conf" ] && return 0
	need_root_or_sudo tee "$conf" >/dev/null <<'EOF'
# Written by pw_helpdesk dev/bench.sh: the settings Frappe needs.
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
innodb_buffer_pool_size = 512M
innodb_flush_log_at_trx_commit = 2
bind-address = 127.0.0.1

[mysql]
default-character-set = utf8mb4
EOF
}

mariadb_up() {
	mysqladmin -h127.0.0.1 ping --silent >/dev/null 2>&1 && return 0
	say "starting MariaDB"
	need_root_or_sudo mkdir -p /run/mysqld
	need_root_or_sudo chown mysql:mysql /run/mysqld 2>/dev/null || true
	(need_root_or_sudo /usr/bin/mysqld_safe >/dev/null 2>&1 &)
	for _ in $(seq 60); do
		mysqladmin -h127.0.0.1 ping --silent >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	die "MariaDB did not start; see /var/log/mysql/error.log or run 'mysqld_safe' by hand"
}

mariadb_root_password() {
	# Frappe connects over TCP with a password; Debian's root has only unix_socket auth.
	if mysql -uroot -p"$DB_ROOT_PASSWORD" -h127.0.0.1 -e 'select 1' >/dev/null 2>&1; then return 0; fi
	need_root_or_sudo mysql -uroot -e \
		"ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$DB_ROOT_PASSWORD') OR unix_socket; FLUSH PRIVILEGES;" ||
		die "cannot set the MariaDB root password; set DB_ROOT_PASSWORD to the one you use"
}

redis_up() {
	local port=$1
	if redis-cli -p "$port" ping >/dev/null 2>&1; then return 0; fi
	say "starting Redis on $port"
	mkdir -p "$BENCH/logs" 2>/dev/null || true
	redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
		--logfile "/tmp/pw-redis-$port.log" >/dev/null
	for _ in $(seq 20); do
		redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	die "Redis did not start on port $port (is the port taken? see /tmp/pw-redis-$port.log)"
}

services() {
	ensure_packages
	mariadb_conf
	mariadb_up
	mariadb_root_password
	redis_up $REDIS_CACHE_PORT
	redis_up $REDIS_QUEUE_PORT
}

# ------------------------------------------------------------------------------------------------ bench

bench_exists() {
	[ -d "$BENCH/apps/frappe" ] && [ -d "$BENCH/apps/erpnext" ] && [ -x "$BENCH/env/bin/python" ] &&
		"$BENCH/env/bin/python" -c 'import frappe, erpnext' >/dev/null 2>&1
}

require_bench() {
	bench_exists && return 0
	cat >&2 <<EOF
dev/bench.sh: no Frappe bench at $BENCH (apps/frappe, apps/erpnext and env/ with both importable).
Build it first:
    dev/bench.sh build
which clones FRAPPE_SRC and ERPNEXT_SRC (default: the upstream repositories, branch version-15).
Without access to them, point both at local copies, e.g.
    FRAPPE_SRC=/path/to/frappe FRAPPE_BRANCH=v15.55.1 ERPNEXT_SRC=/path/to/erpnext ERPNEXT_BRANCH=HEAD \\
    AIR_DATEPICKER_SRC=/path/to/air-datepicker dev/bench.sh build
EOF
	exit 1
}

get_source() { # src branch dest
	local src=$1 branch=$2 dest=$3
	[ -d "$dest" ] && return 0
	say "getting $src ($branch) into $dest"
	if [ -d "$src" ] && [ ! -d "$src/.git" ]; then
		cp -a "$src" "$dest"
	else
		git -c advice.detachedHead=false clone --quiet "$src" "$dest"
		git -c advice.detachedHead=false -C "$dest" checkout --quiet "$branch" 2>/dev/null ||
			git -C "$dest" checkout --quiet "origin/$branch" ||
			die "no branch/tag/commit '$branch' in $src"
	fi
}

pip_env() { "$BENCH/env/bin/pip" --disable-pip-version-check -q "$@"; }

install_frappe_python() {
	# frappe pins gunicorn to a GitHub fork; PyPI's gunicorn 23 serves the same.
	local reqs
	reqs=$(mktemp)
	"$BENCH/env/bin/python" - "$BENCH/apps/frappe/pyproject.toml" >"$reqs" <<'EOF'
import sys, tomllib
data = tomllib.load(open(sys.argv[1], "rb"))
for dep in data["project"]["dependencies"]:
    print("gunicorn~=23.0" if dep.startswith("gunicorn") else dep)
for name, spec in data.get("tool", {}).get("bench", {}).get("dev-dependencies", {}).items():
    print(f"{name}{spec}")
EOF
	pip_env install "setuptools<81" wheel flit_core
	pip_env install -r "$reqs"
	pip_env install --no-deps --no-build-isolation -e "$BENCH/apps/frappe"
	rm -f "$reqs"
}

yarn_install_frappe() {
	local app="$BENCH/apps/frappe"
	command -v yarn >/dev/null 2>&1 || need_root_or_sudo npm install -g --silent yarn@1
	if [ -n "${AIR_DATEPICKER_SRC:-}" ]; then
		# frappe's air-datepicker is a GitHub tarball: hand yarn the same tree through an offline mirror.
		local mirror="$BENCH/.yarn-offline-mirror" rev
		mkdir -p "$mirror"
		rev=$(grep -A2 '^"air-datepicker@' "$app/yarn.lock" | sed -n 's#.*tar.gz/\([0-9a-f]*\)".*#\1#p')
		[ -n "$rev" ] || die "cannot find air-datepicker's commit in $app/yarn.lock"
		(cd "$AIR_DATEPICKER_SRC" && git archive --format=tar.gz --prefix=package/ "$rev" >"$mirror/$rev")
		(cd "$app" && yarn config set yarn-offline-mirror "$mirror" >/dev/null)
	fi
	(cd "$app" && yarn install --frozen-lockfile --non-interactive --silent) || die "yarn install in $app failed"
}

write_bench_config() {
	mkdir -p "$BENCH/sites/assets" "$BENCH/config/pids" "$BENCH/logs"
	[ -f "$BENCH/sites/apps.txt" ] || printf 'frappe\nerpnext\n' >"$BENCH/sites/apps.txt"
	[ -f "$BENCH/sites/common_site_config.json" ] || cat >"$BENCH/sites/common_site_config.json" <<EOF
{
 "background_workers": 1,
 "db_host": "127.0.0.1",
 "default_site": "$SITE",
 "file_watcher_port": 6787,
 "frappe_user": "$(id -un)",
 "gunicorn_workers": 2,
 "live_reload": false,
 "rebase_on_pull": false,
 "redis_cache": "redis://127.0.0.1:$REDIS_CACHE_PORT",
 "redis_queue": "redis://127.0.0.1:$REDIS_QUEUE_PORT",
 "redis_socketio": "redis://127.0.0.1:$REDIS_QUEUE_PORT",
 "restart_supervisor_on_update": false,
 "restart_systemd_on_update": false,
 "serve_default_site": true,
 "shallow_clone": true,
 "socketio_port": 9000,
 "use_redis_auth": false,
 "webserver_port": $WEB_PORT
}
EOF
}

build() {
	services
	if bench_exists; then
		say "bench already at $BENCH"
		return 0
	fi
	say "building a bench at $BENCH (bench init refuses root, so it is laid out by hand)"
	mkdir -p "$BENCH/apps"
	get_source "$FRAPPE_SRC" "$FRAPPE_BRANCH" "$BENCH/apps/frappe"
	get_source "$ERPNEXT_SRC" "$ERPNEXT_BRANCH" "$BENCH/apps/erpnext"
	[ -x "$BENCH/env/bin/python" ] || "$PYTHON" -m venv "$BENCH/env"
	pip_env install --upgrade "pip<25"
	install_frappe_python
	pip_env install --no-build-isolation -e "$BENCH/apps/erpnext"
	pip_env install honcho
	write_bench_config
	yarn_install_frappe
	(cd "$BENCH/apps/erpnext" && [ -f package.json ] && yarn install --non-interactive --silent) || true
	say "building assets"
	frappe_cli build --apps frappe,erpnext >/dev/null || die "asset build failed"
	bench_exists || die "bench built but frappe/erpnext do not import; see the output above"
	say "bench ready at $BENCH"
}

frappe_cli() { # the `bench` of a normal bench, for root too (bench's own CLI refuses root)
	(cd "$BENCH/sites" && "$BENCH/env/bin/python" -m frappe.utils.bench_helper frappe "$@")
}

install_this_app() {
	# Install *this* checkout, editable, so tests run the code of the clone they are called from.
	local link="$BENCH/apps/pw_helpdesk"
	if [ "$(readlink -f "$link" 2>/dev/null)" != "$HERE" ]; then
		rm -rf "$link"
		ln -s "$HERE" "$link"
	fi
	if ! "$BENCH/env/bin/python" -c 'import pw_helpdesk, os, sys; sys.exit(os.path.dirname(os.path.dirname(pw_helpdesk.__file__)) != sys.argv[1])' "$HERE" 2>/dev/null ||
		! "$BENCH/env/bin/python" -c 'import imapclient, phonenumbers' 2>/dev/null; then
		say "installing $HERE into the bench (editable)"
		pip_env install --no-build-isolation -e "$HERE"
	fi
	grep -qx pw_helpdesk "$BENCH/sites/apps.txt" || echo pw_helpdesk >>"$BENCH/sites/apps.txt"
	# Built assets of our app: a symlink, as `bench build` makes.
	mkdir -p "$BENCH/sites/assets"
	ln -sfn "$HERE/pw_helpdesk/public" "$BENCH/sites/assets/pw_helpdesk"
}

# ------------------------------------------------------------------------------------------------ sites

# A freshly installed erpnext site takes over a minute to create; a dump of one restores in seconds.
template_dump() {
	local dump="$TEMPLATE_DIR/erpnext-$(git -C "$BENCH/apps/erpnext" rev-parse --short HEAD 2>/dev/null || echo x)-$(git -C "$BENCH/apps/frappe" rev-parse --short HEAD 2>/dev/null || echo x).sql.gz"
	if [ ! -s "$dump" ]; then
		mkdir -p "$TEMPLATE_DIR"
		local tsite="pw-template.localhost"
		say "creating the template ERPNext site (once; takes a few minutes)"
		drop_site "$tsite"
		frappe_cli new-site "$tsite" --db-root-username root --db-root-password "$DB_ROOT_PASSWORD" \
			--admin-password admin --install-app erpnext >/dev/null || die "new-site $tsite failed"
		# ERPNext's own test set-up: completes the setup wizard (a company, fiscal year, groups).
		frappe_cli --site "$tsite" execute erpnext.setup.utils.before_tests >/dev/null ||
			die "setup of $tsite failed"
		local dbname
		dbname=$(site_db "$tsite")
		mysqldump -uroot -p"$DB_ROOT_PASSWORD" -h127.0.0.1 --single-transaction "$dbname" | gzip -1 >"$dump.tmp"
		mv "$dump.tmp" "$dump"
		drop_site "$tsite"
	fi
	echo "$dump"
}

site_db() { "$BENCH/env/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["db_name"])' "$BENCH/sites/$1/site_config.json"; }

drop_site() {
	local site=$1
	[ -d "$BENCH/sites/$site" ] || return 0
	frappe_cli drop-site "$site" --db-root-username root --db-root-password "$DB_ROOT_PASSWORD" --force --no-backup >/dev/null 2>&1 ||
		rm -rf "$BENCH/sites/$site"
	rm -rf "$BENCH/archived/sites/$site"
}

fresh_site() { # name: a new site restored from the template, then pw_helpdesk installed
	local site=$1 dump
	dump=$(template_dump)
	drop_site "$site"
	say "creating $site from the template"
	frappe_cli new-site "$site" --db-root-username root --db-root-password "$DB_ROOT_PASSWORD" \
		--admin-password admin --source-sql "$dump" >/dev/null || die "new-site $site from $dump failed"
	frappe_cli --site "$site" set-config allow_tests true >/dev/null
	frappe_cli --site "$site" install-app pw_helpdesk || die "install-app pw_helpdesk on $site failed"
}

# ------------------------------------------------------------------------------------------------ up

procfile() {
	cat >"$BENCH/Procfile.pw" <<EOF
web: cd sites && ../env/bin/python -m frappe.utils.bench_helper frappe serve --port $WEB_PORT --noreload --nothreading
socketio: node apps/frappe/socketio.js
schedule: cd sites && ../env/bin/python -m frappe.utils.bench_helper frappe schedule
worker: cd sites && ../env/bin/python -m frappe.utils.bench_helper frappe worker --queue short,default,long
worker_long: cd sites && ../env/bin/python -m frappe.utils.bench_helper frappe worker --queue long,default,short
EOF
}

stop() {
	FRAPPE_BENCH="$BENCH" "$BENCH/env/bin/python" "$HERE/dev/demo_mail.py" stop 2>/dev/null || true
	# honcho stops what it started on SIGTERM; then sweep up anything of the Procfile still running.
	pkill -TERM -f "honcho -f Procfile.pw" 2>/dev/null || true
	for _ in $(seq 20); do
		pgrep -f "honcho -f Procfile.pw" >/dev/null || break
		sleep 0.5
	done
	pkill -KILL -f "honcho -f Procfile.pw" 2>/dev/null || true
	pkill -TERM -f "^\.\./env/bin/python -m frappe.utils.bench_helper frappe (serve --port $WEB_PORT|schedule|worker)" 2>/dev/null || true
	pkill -TERM -f "^node apps/frappe/socketio.js" 2>/dev/null || true
	rm -f "$BENCH/config/pids/pw-honcho.pid"
	sleep 1
}

up() {
	services
	bench_exists || build
	install_this_app
	if ! frappe_cli --site "$SITE" list-apps 2>/dev/null | grep -q pw_helpdesk; then
		fresh_site "$SITE"
	else
		frappe_cli --site "$SITE" migrate >/dev/null || die "migrate of $SITE failed"
	fi
	frappe_cli use "$SITE" >/dev/null
	frappe_cli --site "$SITE" set-config host_name "http://127.0.0.1:$WEB_PORT" >/dev/null
	"$BENCH/env/bin/python" -c 'import aiosmtpd, imapclient' 2>/dev/null || pip_env install aiosmtpd imapclient
	FRAPPE_BENCH="$BENCH" "$BENCH/env/bin/python" "$HERE/dev/demo_mail.py" start || die "demo mail servers did not start"
	frappe_cli --site "$SITE" pw-helpdesk demo --mail-imap-port 1143 --mail-smtp-port 2525 ||
		die "demo data on $SITE failed"
	frappe_cli --site "$SITE" enable-scheduler >/dev/null
	frappe_cli --site "$SITE" set-maintenance-mode off >/dev/null
	if ss -ltn "sport = :$WEB_PORT" 2>/dev/null | grep -q LISTEN; then
		stop
		ss -ltn "sport = :$WEB_PORT" | grep -q LISTEN && die "port $WEB_PORT is in use by another program; free it or set WEB_PORT"
	fi
	procfile
	say "starting web, socketio, scheduler and workers (logs: $BENCH/logs/pw-up.log)"
	# Every fd redirected, and exec: nothing left holding our stdout (so `up | tee` ends).
	(cd "$BENCH" && exec setsid "$BENCH/env/bin/honcho" -f Procfile.pw start) \
		</dev/null >"$BENCH/logs/pw-up.log" 2>&1 &
	for _ in $(seq 60); do
		curl -fsS "http://127.0.0.1:$WEB_PORT/api/method/ping" 2>/dev/null | grep -q pong && break
		sleep 1
	done
	curl -fsS "http://127.0.0.1:$WEB_PORT/api/method/ping" | grep -q pong ||
		die "web did not answer on port $WEB_PORT; see $BENCH/logs/pw-up.log"
	frappe_cli --site "$SITE" pw-helpdesk health || die "the site answers, but see above: $BENCH/logs/pw-up.log"
	cat <<EOF

pw_helpdesk is up: http://127.0.0.1:$WEB_PORT   (site $SITE)
  Desk:   Administrator / admin
  Portal: $(frappe_cli --site "$SITE" pw-helpdesk demo-logins 2>/dev/null | tr '\n' ' ')
  Mail:   the desk's outgoing mail lands in the Maildir /var/lib/pw_helpdesk/demo-mail/sent; answer the newest one as the
          customer with: $BENCH/env/bin/python dev/demo_mail.py reply (filed on the next minute's poll)
Stop with: dev/bench.sh stop
EOF
}

# ------------------------------------------------------------------------------------------------ test

pytest_counts() { # log -> "passed failed" from pytest's closing line
	local line
	line=$(grep -E '[0-9]+ (passed|failed|errors?)( |,|$)' "$1" | tail -1 || true)
	count() { grep -oE "[0-9]+ $1" <<<"$line" | grep -oE '^[0-9]+' | head -1 || true; }
	local p f e
	p=$(count passed) f=$(count failed) e=$(count "errors?")
	echo "${p:-0} $((${f:-0} + ${e:-0}))"
}

test_all() {
	export CI=${CI:-1} # `bench run-tests` exits 0 on failures unless CI is set
	local test_site="pw-test.localhost" rc=0 logs="$HERE/artifacts"
	mkdir -p "$logs"
	services
	require_bench
	install_this_app
	"$BENCH/env/bin/python" -c 'import pytest, aiosmtpd, hypothesis, playwright, imapclient' 2>/dev/null ||
		pip_env install pytest aiosmtpd hypothesis playwright imapclient
	say "1/3 unit tests (pure Python, no frappe)"
	(cd "$HERE" && "$BENCH/env/bin/python" -m pytest tests/unit -q -p no:cacheprovider) 2>&1 | tee "$logs/unit.log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	say "2/3 Frappe tests on a fresh site ($test_site)"
	fresh_site "$test_site"
	frappe_cli --site "$test_site" run-tests --app pw_helpdesk 2>&1 | tee "$logs/run-tests.log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	local site_ran site_failed
	site_ran=$(sed -nE 's/^Ran ([0-9]+) tests? .*/\1/p' "$logs/run-tests.log" | tail -1)
	site_failed=$(sed -nE 's/^FAILED \((.*)\)$/\1/p' "$logs/run-tests.log" | tr -c '0-9\n' ' ' |
		awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}')
	site_ran=${site_ran:-0} site_failed=${site_failed:-0}
	if [ "$site_ran" -eq 0 ]; then
		echo "dev/bench.sh: run-tests ran no test" >&2
		rc=1
	fi
	say "3/3 end-to-end tests (real HTTP server, workers, mail servers, browser)"
	(cd "$HERE" && FRAPPE_BENCH="$BENCH" PW_TEST_SITE="$test_site" DB_ROOT_PASSWORD="$DB_ROOT_PASSWORD" \
		"$BENCH/env/bin/python" -m pytest tests/e2e -q -p no:cacheprovider) 2>&1 | tee "$logs/e2e.log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	local unit e2e passed failed
	read -r -a unit <<<"$(pytest_counts "$logs/unit.log")"
	read -r -a e2e <<<"$(pytest_counts "$logs/e2e.log")"
	passed=$((unit[0] + site_ran - site_failed + e2e[0]))
	failed=$((unit[1] + site_failed + e2e[1]))
	echo "unit: ${unit[0]} passed, ${unit[1]} failed; site: $((site_ran - site_failed)) passed, $site_failed failed (of $site_ran run); e2e: ${e2e[0]} passed, ${e2e[1]} failed"
	[ $failed -eq 0 ] || rc=1
	[ $passed -gt 0 ] || rc=1
	echo "total: $passed passed, $failed failed"
	return $rc
}

[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0 # sourced: functions only

cmd=${1:-help}
shift || true
case "$cmd" in
services) services ;;
build) build ;;
install) require_bench && install_this_app ;;
up) up ;;
stop) stop ;;
test) test_all ;;
template) services && require_bench && template_dump ;;
fresh-site) services && require_bench && install_this_app && fresh_site "${1:?site name}" ;;
frappe | bench) require_bench && frappe_cli "$@" ;;
*) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
esac
