-- Feature flag @NAME@: the client is its cookie @COOKIE@ or, without one, this request's id,
-- which the answer sets as the cookie, so the first request and the later ones agree. Its bucket
-- (0..99) is the first 32 bits of the MD5 of the id and the flag's name, mod 100: stable per
-- client and flag. (A CRC-32 is cheaper but, being linear, spreads similar ids less evenly.)
do
  local client = ngx.var[@COOKIE_VAR@]
  if client == nil or client == "" then
    client = ngx.var.request_id
    ngx.var.trafficctl_client_cookie =
      @COOKIE@ .. "=" .. client .. "; Path=/; Max-Age=@MAX_AGE@"
  end
  local bucket = tonumber(string.sub(ngx.md5(client .. @NAME@), 1, 8), 16) % 100
  ngx.var.trafficctl_flag = bucket < @PERCENT@ and "enabled" or "disabled"
end
