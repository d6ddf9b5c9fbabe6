"""gunicorn settings of an RETA app server (docs/deploy.md), read by docs/deploy/reta.service:
`gunicorn -c /etc/reta/gunicorn.conf.py reta.wsgi`. Copy to /etc/reta/ and adjust `bind` and
`forwarded_allow_ips` to this network."""

import multiprocessing
import os

# Listen on the private network only; nginx (10.0.0.10 here) is the only client.
bind = os.environ.get("RETA_BIND", "127.0.0.1:8001")
forwarded_allow_ips = os.environ.get("RETA_PROXY_IPS", "127.0.0.1")  # trusts X-Forwarded-Proto from nginx only

# Threads: a request mostly waits for MariaDB; a PDF (WeasyPrint) or an export uses a core for a
# second or two. One process per core plus one, two threads each: 2 cores -> 3 x 2 = 6 requests
# at once, 4 cores -> 5 x 2, 8 cores -> 9 x 2. Each process holds ~200 MB (Django, WeasyPrint):
# count the memory before raising it. Each thread may hold one database connection: keep
# (workers x threads x app servers) + cron + backups under MariaDB's max_connections.
worker_class = "gthread"
workers = int(os.environ.get("RETA_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("RETA_THREADS", 2))

# nginx buffers slow clients, so a request reaches gunicorn whole and leaves at once. 90 s covers
# the largest PDF report and export; nginx's proxy_read_timeout (120 s) is longer.
timeout = 90
graceful_timeout = 30  # on reload/stop, a worker finishes its requests for up to 30 s
keepalive = 5
# Recycle each process now and then: memory that WeasyPrint or a large export took comes back.
max_requests = 1000
max_requests_jitter = 100
# No preload_app: on `systemctl reload reta` (HUP) the new workers import the new code.

# Logs to journald through stdout/stderr (docs/deploy.md "Logs"); no request bodies, no query strings
# with personal data (RETA keeps search texts in the session, never in URLs).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-request-id}o)s"'

# gunicorn 25.1+ opens a control socket in $HOME/.gunicorn by default: two instances on one machine
# would share it, and ProtectHome= hides it. systemd does the reloads: no control socket.
control_socket_disable = True
