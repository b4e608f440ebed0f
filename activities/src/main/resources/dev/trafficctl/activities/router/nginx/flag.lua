-- The feature flag, if there is one: the client is its cookie or, without one, this request's id,
-- which the answer sets as the cookie, so the first request and the later ones agree. Its bucket
-- (0..99) is the first 32 bits of the MD5 of the id and the flag's name, mod 100: stable per
-- client and flag. (A CRC-32 is cheaper but, being linear, spreads similar ids less evenly.)
local flag = site.rules.flag
if flag ~= nil then
  local client = ngx.var[flag.variable]
  if client == nil or client == "" then
    client = ngx.var.request_id
    ngx.var.trafficctl_client_cookie =
      flag.cookie .. "=" .. client .. "; Path=/; Max-Age=" .. flag.max_age
  end
  local bucket = tonumber(string.sub(ngx.md5(client .. flag.name), 1, 8), 16) % 100
  ngx.var.trafficctl_flag = bucket < flag.percent and "enabled" or "disabled"
end
