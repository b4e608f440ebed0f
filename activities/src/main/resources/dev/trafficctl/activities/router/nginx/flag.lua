-- Feature flag @NAME@: the client is its cookie @COOKIE@ or, without one, this request's id,
-- which the answer sets as the cookie, so the first request and the later ones agree. Its bucket
-- (0..99) is a CRC-32 of the id and the flag's name: stable per client and flag.
do
  local client = ngx.var[@COOKIE_VAR@]
  if client == nil or client == "" then
    client = ngx.var.request_id
    ngx.var.trafficctl_client_cookie =
      @COOKIE@ .. "=" .. client .. "; Path=/; Max-Age=@MAX_AGE@"
  end
  local bucket = ngx.crc32_long(client .. @NAME@) % 100
  ngx.var.trafficctl_flag = bucket < @PERCENT@ and "enabled" or "disabled"
end
