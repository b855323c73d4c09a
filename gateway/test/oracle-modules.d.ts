/** The Meta oracle packages ship no types; the differential test declares the little it uses. */
declare module 'facebook-nodejs-business-sdk' {
  const sdk: unknown;
  export default sdk;
}
