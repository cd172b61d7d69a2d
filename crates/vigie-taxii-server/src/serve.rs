//! Running the server: binding (localhost unless configured), plain HTTP or TLS through
//! rustls, on a runtime of its own so that callers (the CLI, tests) stay synchronous.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::auth::Verified;
use crate::config::ServerConfig;
use crate::error::ServerError;
use crate::routes::{router, AppState};
use crate::store::Store;

/// A server running on its own threads; dropping it (or [`Running::stop`]) stops it.
pub struct Running {
    pub addr: SocketAddr,
    pub tls: bool,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), ServerError>>>,
}

impl Running {
    /// Stops the server and waits for it.
    pub fn stop(mut self) -> Result<(), ServerError> {
        self.shutdown()
    }

    /// Waits until the server ends (it ends on its own only on error).
    pub fn wait(mut self) -> Result<(), ServerError> {
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(r)) => r,
            _ => Ok(()),
        }
    }

    fn shutdown(&mut self) -> Result<(), ServerError> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(r)) => r,
            _ => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Opens the store, binds, and serves in the background.
pub fn start(config: ServerConfig) -> Result<Running, ServerError> {
    let store = Store::open(&config.data)?;
    let listener = TcpListener::bind(&config.bind).map_err(|source| ServerError::Bind {
        bind: config.bind.clone(),
        source,
    })?;
    let bind_err = |source| ServerError::Bind {
        bind: config.bind.clone(),
        source,
    };
    let addr = listener.local_addr().map_err(bind_err)?;
    listener.set_nonblocking(true).map_err(bind_err)?;
    let tls = config.tls.clone();
    let state = Arc::new(AppState {
        config,
        store: Mutex::new(store),
        verified: Verified::default(),
        statuses: AtomicU64::new(0),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServerError::Serve)?;
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), ServerError>>();
    let has_tls = tls.is_some();
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            let app = router(state);
            match tls {
                None => {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(ServerError::Serve(e)));
                            return Ok(());
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stop_rx.await;
                        })
                        .await
                        .map_err(ServerError::Serve)
                }
                Some((cert, key)) => {
                    let _ = rustls::crypto::ring::default_provider().install_default();
                    let rustls_config =
                        match axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                            .await
                        {
                            Ok(c) => c,
                            Err(source) => {
                                let _ = ready_tx.send(Err(ServerError::Tls {
                                    cert: cert.display().to_string(),
                                    key: key.display().to_string(),
                                    source,
                                }));
                                return Ok(());
                            }
                        };
                    let handle = axum_server::Handle::new();
                    let stopper = handle.clone();
                    tokio::spawn(async move {
                        let _ = stop_rx.await;
                        stopper.shutdown();
                    });
                    let _ = ready_tx.send(Ok(()));
                    axum_server::from_tcp_rustls(listener, rustls_config)
                        .handle(handle)
                        .serve(app.into_make_service())
                        .await
                        .map_err(ServerError::Serve)
                }
            }
        })
    });
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(Running {
            addr,
            tls: has_tls,
            stop: Some(stop_tx),
            thread: Some(thread),
        }),
        Ok(Err(e)) => Err(e),
        Err(_) => match thread.join() {
            Ok(Err(e)) => Err(e),
            _ => Err(ServerError::Serve(std::io::Error::other(
                "the server thread ended before it was ready",
            ))),
        },
    }
}
