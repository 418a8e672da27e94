# The .deb (CPack): `cpack -G DEB` in a build tree, or scripts/package.
# Depends: is computed from the programs' shared libraries (dpkg-shlibdeps),
# plus xapian-tools, which morgue-reindex (xapian-compact) and
# morgue-shard-server (xapian-tcpsrv) run.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME morgue)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${MORGUE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search engine for news archives")
set(CPACK_PACKAGE_DESCRIPTION "\
morgue indexes news articles (plain text, JSON Lines, HTML) into a Xapian
database and searches them from the command line or the web, with ranked
results, highlighted snippets, facets, date filters, stories (wire copy and
its rewrites grouped) and articles in many languages.
.
The package holds morgue-index, morgue-search, the web front end morgue.cgi
(CGI and FastCGI), morgue-reindex for cron or systemd, morgue-shard-server,
and configurations for systemd, lighttpd, nginx and Apache.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "xapian-tools")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "lighttpd | nginx | apache2, spawn-fcgi")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
