-- Access phase of the admin endpoint's weights: anything but GET or HEAD needs the include's admin
-- secret, as "Authorization: Bearer <secret>", else 401 and nothing changes. The include holds only
-- $trafficctl_admin_verifier, HMAC-SHA1(secret, "trafficctl admin"); the secret is in a file only
-- the router's user reads. Reads stay open: the weights and rules are what the served traffic
-- shows anyway, and the router checks a reload by the generation whatever secret is in force.
local method = ngx.req.get_method()
if method == "GET" or method == "HEAD" then
  return
end
local bit = require("bit")
local verifier = ngx.var.trafficctl_admin_verifier or ""
local presented = string.match(ngx.var.http_authorization or "", "^[Bb]earer +(%S+) *$")
local authorized = false
if presented ~= nil and string.match(verifier, "^%x+$") and #verifier == 40 then
  local digest = ngx.hmac_sha1(presented, "trafficctl admin")
  -- Every byte is compared whatever the first difference, so the time taken tells nothing; and an
  -- attacker cannot steer an HMAC's bytes anyway.
  local difference = 0
  for i = 1, 20 do
    local expected = tonumber(string.sub(verifier, 2 * i - 1, 2 * i), 16)
    difference = bit.bor(difference, bit.bxor(string.byte(digest, i), expected))
  end
  authorized = difference == 0
end
if not authorized then
  -- At error level, as auth_basic logs a password mismatch, so nginx's default level keeps it.
  -- What was presented is never logged: it may be a secret, of this service or another.
  local why = presented == nil and "no admin secret" or "a wrong admin secret"
  ngx.log(ngx.ERR, "trafficctl: refused ", method, " ", ngx.var.uri, " from ",
    ngx.var.remote_addr, " on ", ngx.var.server_addr, ":", ngx.var.server_port, ": ", why)
  ngx.status = ngx.HTTP_UNAUTHORIZED
  ngx.header["WWW-Authenticate"] = "Bearer realm=\"trafficctl admin\""
  ngx.header["Content-Type"] = "text/plain"
  ngx.print(why .. ": writes need \"Authorization: Bearer <secret>\", the secret being"
    .. " <config_dir>/<env>.<service>.admin-secret\n")
  return ngx.exit(ngx.HTTP_UNAUTHORIZED)
end
