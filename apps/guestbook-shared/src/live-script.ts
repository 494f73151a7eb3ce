/**
 * The page's only script, served at `/static/guestbook.js`: it listens to `/events` and puts each
 * new entry at the top of the list, so open pages update without reloading. It builds nodes
 * with `textContent`, never markup, as entries are user input. Without it the page works the same,
 * minus the live updates.
 */
export const LIVE_SCRIPT = `'use strict'
;(() => {
  const list = document.getElementById('entries')
  if (!list || !('EventSource' in window)) return
  const count = document.querySelector('#entries-heading .count')
  const element = (tag, className, text) => {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }
  const source = new EventSource('/events')
  source.addEventListener('entry', (event) => {
    const entry = JSON.parse(event.data)
    if (document.getElementById('entry-' + entry.id)) return
    const item = element('li', 'entry')
    item.id = 'entry-' + entry.id
    const meta = element('p', 'entry-meta')
    const time = element('time', '', entry.createdAt.slice(0, 16).replace('T', ' ') + ' UTC')
    time.dateTime = entry.createdAt
    meta.append(element('strong', 'entry-name', entry.name), ' ', time)
    item.append(meta, element('p', 'entry-message', entry.message))
    list.prepend(item)
    document.querySelector('.entries .empty')?.remove()
    if (count) count.textContent = '(' + list.children.length + ')'
  })
})()
`
