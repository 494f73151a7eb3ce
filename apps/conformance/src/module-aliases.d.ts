// Express 4 and Koa 2 are installed under aliases (`npm:express@4`, `npm:koa@2`) that ship no
// types of their own; the surface the test apps use is the same as in Express 5 and Koa 3.
declare module 'express4' {
  import express from 'express'
  export default express
}

declare module 'koa2' {
  import Koa from 'koa'
  export default Koa
}
